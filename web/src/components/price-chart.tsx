// Price history chart (lightweight-charts v5) with the forecast path, its 80% and 95% bands shaded, and a price marker.
import {
  AreaSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  CrosshairMode,
  LineSeries,
  LineStyle,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type MouseEventParams,
  type Time,
} from 'lightweight-charts';
import { useEffect, useMemo, useRef } from 'react';
import type { ApiBar as Bar, Forecast } from '@stockops/api';
import {
  formatAxisPrices,
  formatPrice,
  pathSeries,
  timeToDay,
  visibleWindow,
  type RangeKey,
} from '../lib';
import { BandSeries, type BandData, type BandOptions } from './band-series';

// Kept in one place so the legend swatches in the page match the lines and bands on the canvas. The
// bands are translucent: where the 80% band lies over the 95% one the fill is darker.
export const CHART_COLORS = {
  close: '#38bdf8',
  forecast: '#c084fc',
  band80: 'rgba(192, 132, 252, 0.22)',
  band95: 'rgba(192, 132, 252, 0.12)',
} as const;

const FONT_STACK =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';

type Band = ISeriesApi<'Custom', Time, BandData | { time: Time }, BandOptions>;

interface ChartParts {
  chart: IChartApi;
  close: ISeriesApi<'Area'>;
  forecast: ISeriesApi<'Line'>;
  band80: Band;
  band95: Band;
  markers: ISeriesMarkersPluginApi<Time>;
}

interface PriceChartProps {
  bars: readonly Bar[];
  /** The path over the next trading days from /api/forecast. */
  forecast: Forecast | undefined;
  range: RangeKey;
  /** Called with the bar under the crosshair, or undefined when the pointer leaves the plot. */
  onHover: (bar: Bar | undefined) => void;
}

function createParts(container: HTMLElement): ChartParts {
  const chart = createChart(container, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: 'transparent' },
      textColor: '#94a3b8',
      fontFamily: FONT_STACK,
      fontSize: 12,
    },
    grid: {
      vertLines: { color: 'rgba(148, 163, 184, 0.07)' },
      horzLines: { color: 'rgba(148, 163, 184, 0.07)' },
    },
    crosshair: { mode: CrosshairMode.Magnet },
    rightPriceScale: {
      borderColor: 'rgba(148, 163, 184, 0.2)',
      scaleMargins: { top: 0.12, bottom: 0.08 },
    },
    timeScale: {
      borderColor: 'rgba(148, 163, 184, 0.2)',
      // "All" on twenty years of daily bars needs bars thinner than the 0.5 px default floor.
      minBarSpacing: 0.05,
    },
    localization: { priceFormatter: formatPrice, tickmarksPriceFormatter: formatAxisPrices },
  });
  const close = chart.addSeries(AreaSeries, {
    lineColor: CHART_COLORS.close,
    topColor: 'rgba(56, 189, 248, 0.28)',
    bottomColor: 'rgba(56, 189, 248, 0.02)',
    lineWidth: 2,
    priceLineVisible: false,
  });
  // The wide band first, so the narrow one is painted over it.
  const band = (fillColor: string): Band =>
    chart.addCustomSeries(new BandSeries(), {
      fillColor,
      priceLineVisible: false,
      lastValueVisible: false,
    });
  const band95 = band(CHART_COLORS.band95);
  const band80 = band(CHART_COLORS.band80);
  const forecast = chart.addSeries(LineSeries, {
    color: CHART_COLORS.forecast,
    lineWidth: 2,
    lineStyle: LineStyle.Dashed,
    priceLineVisible: false,
  });
  const markers = createSeriesMarkers(forecast, []);
  return { chart, close, forecast, band80, band95, markers };
}

export function PriceChart({ bars, forecast, range, onHover }: PriceChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const partsRef = useRef<ChartParts | null>(null);
  const barsByDate = useRef(new Map<string, Bar>());
  const onHoverRef = useRef(onHover);

  useEffect(() => {
    onHoverRef.current = onHover;
  }, [onHover]);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) {
      return;
    }
    const parts = createParts(container);
    partsRef.current = parts;
    const handleMove = (param: MouseEventParams) => {
      const bar =
        param.time === undefined ? undefined : barsByDate.current.get(timeToDay(param.time));
      onHoverRef.current(bar);
    };
    parts.chart.subscribeCrosshairMove(handleMove);
    return () => {
      parts.chart.unsubscribeCrosshairMove(handleMove);
      partsRef.current = null;
      parts.chart.remove();
    };
  }, []);

  useEffect(() => {
    const parts = partsRef.current;
    if (!parts) {
      return;
    }
    barsByDate.current = new Map(bars.map((bar) => [bar.date, bar]));
    parts.close.setData(bars.map((bar) => ({ time: bar.date, value: bar.close })));
  }, [bars]);

  const series = useMemo(() => (forecast ? pathSeries(forecast) : undefined), [forecast]);
  const path = useMemo(() => series?.line ?? [], [series]);

  useEffect(() => {
    const parts = partsRef.current;
    if (!parts) {
      return;
    }
    parts.forecast.setData(path);
    const band = (level: number) => series?.bands.find((b) => Math.abs(b.level - level) < 1e-9);
    parts.band80.setData(band(0.8)?.points ?? []);
    parts.band95.setData(band(0.95)?.points ?? []);
  }, [series, path]);

  // Set after every data change, not only when the forecast changes: the markers plugin keeps the
  // bar index it resolved at set time, and history loading after the forecast shifts every index.
  useEffect(() => {
    const parts = partsRef.current;
    if (!parts) {
      return;
    }
    const end = path.at(-1);
    parts.markers.setMarkers(
      end && path.length > 1
        ? [
            {
              time: end.time,
              position: 'aboveBar',
              shape: 'circle',
              size: 0.8,
              color: CHART_COLORS.forecast,
              text: formatPrice(end.value),
            },
          ]
        : [],
    );
  }, [bars, path]);

  useEffect(() => {
    const parts = partsRef.current;
    const view = visibleWindow(range, bars, path);
    if (parts && view) {
      parts.chart.timeScale().setVisibleLogicalRange(view);
    }
  }, [range, bars, path]);

  return <div ref={containerRef} className="price-chart" data-testid="price-chart" />;
}
