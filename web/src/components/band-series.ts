// A filled band between a lower and an upper price at each time: the forecast intervals, as a lightweight-charts custom series.
import {
  customSeriesDefaultOptions,
  type CustomData,
  type CustomSeriesOptions,
  type CustomSeriesPricePlotValues,
  type CustomSeriesWhitespaceData,
  type ICustomSeriesPaneRenderer,
  type ICustomSeriesPaneView,
  type PaneRendererCustomData,
  type PriceToCoordinateConverter,
  type Time,
} from 'lightweight-charts';

export interface BandData extends CustomData {
  lower: number;
  upper: number;
}

export interface BandOptions extends CustomSeriesOptions {
  /** Fill between the bounds; translucent, so a narrower band drawn over a wider one shows darker. */
  fillColor: string;
}

/** The canvas target the library hands a custom renderer (fancy-canvas's, reached through its type). */
type Target = Parameters<ICustomSeriesPaneRenderer['draw']>[0];

class BandRenderer implements ICustomSeriesPaneRenderer {
  data: PaneRendererCustomData<Time, BandData> | null = null;
  options: BandOptions | null = null;

  draw(target: Target, toY: PriceToCoordinateConverter): void {
    const bars = this.data?.bars ?? [];
    const fill = this.options?.fillColor;
    if (fill === undefined || bars.length < 2) {
      return;
    }
    target.useBitmapCoordinateSpace(({ context, horizontalPixelRatio, verticalPixelRatio }) => {
      const points: { x: number; lower: number; upper: number }[] = [];
      for (const bar of bars) {
        const lower = toY(bar.originalData.lower);
        const upper = toY(bar.originalData.upper);
        if (lower !== null && upper !== null) {
          points.push({
            x: bar.x * horizontalPixelRatio,
            lower: lower * verticalPixelRatio,
            upper: upper * verticalPixelRatio,
          });
        }
      }
      const first = points[0];
      if (first === undefined || points.length < 2) {
        return;
      }
      // One polygon: along the upper bound left to right, back along the lower bound.
      context.beginPath();
      context.moveTo(first.x, first.upper);
      for (const p of points.slice(1)) {
        context.lineTo(p.x, p.upper);
      }
      for (const p of [...points].reverse()) {
        context.lineTo(p.x, p.lower);
      }
      context.closePath();
      context.fillStyle = fill;
      context.fill();
    });
  }
}

export class BandSeries implements ICustomSeriesPaneView<Time, BandData, BandOptions> {
  private readonly bandRenderer = new BandRenderer();

  renderer(): ICustomSeriesPaneRenderer {
    return this.bandRenderer;
  }

  update(data: PaneRendererCustomData<Time, BandData>, options: BandOptions): void {
    this.bandRenderer.data = data;
    this.bandRenderer.options = options;
  }

  /** Both bounds take part in autoscaling, so the whole band is always in view. */
  priceValueBuilder(row: BandData): CustomSeriesPricePlotValues {
    return [row.lower, row.upper, (row.lower + row.upper) / 2];
  }

  isWhitespace(
    row: BandData | CustomSeriesWhitespaceData<Time>,
  ): row is CustomSeriesWhitespaceData<Time> {
    const { lower, upper } = row as Partial<BandData>;
    return lower === undefined || upper === undefined;
  }

  defaultOptions(): BandOptions {
    return { ...customSeriesDefaultOptions, fillColor: 'rgba(192, 132, 252, 0.2)' };
  }
}
