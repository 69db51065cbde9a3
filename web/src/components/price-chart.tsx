// Price history chart (lightweight-charts v5) with the forecast path, its interval and a price marker.
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
import type { ApiBar as Bar, Prediction } from '@stockops/api';
import {
  chartInterval,
  forecastPath,
  formatAxisPrices,
  formatPrice,
  timeToDay,
  visibleWindow,
  type RangeKey,
} from '../lib';

// Kept in one place so the legend swatches in the page match the lines on the canvas.
export const CHART_COLORS = {
  close: '#38bdf8',
  forecast: '#c084fc',
  interval: 'rgba(192, 132, 252, 0.7)',
} as const;

const FONT_STACK =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';

interface ChartParts {
  chart: IChartApi;
  close: ISeriesApi<'Area'>;
  forecast: ISeriesApi<'Line'>;
  lower: ISeriesApi<'Line'>;
  upper: ISeriesApi<'Line'>;
  markers: ISeriesMarkersPluginApi<Time>;
}

interface PriceChartProps {
  bars: readonly Bar[];
  prediction: Prediction | undefined;
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
  const intervalOptions = {
    color: CHART_COLORS.interval,
    lineWidth: 1,
    lineStyle: LineStyle.Dashed,
    priceLineVisible: false,
    lastValueVisible: false,
    crosshairMarkerVisible: false,
  } as const;
  const upper = chart.addSeries(LineSeries, intervalOptions);
  const lower = chart.addSeries(LineSeries, intervalOptions);
  const forecast = chart.addSeries(LineSeries, {
    color: CHART_COLORS.forecast,
    lineWidth: 2,
    lineStyle: LineStyle.Dashed,
    priceLineVisible: false,
  });
  const markers = createSeriesMarkers(forecast, []);
  return { chart, close, forecast, lower, upper, markers };
}

export function PriceChart({ bars, prediction, range, onHover }: PriceChartProps) {
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

  const path = useMemo(
    () => (prediction ? forecastPath(prediction, prediction.predictedClose) : []),
    [prediction],
  );

  useEffect(() => {
    const parts = partsRef.current;
    if (!parts) {
      return;
    }
    if (!prediction) {
      parts.forecast.setData([]);
      parts.upper.setData([]);
      parts.lower.setData([]);
      return;
    }
    parts.forecast.setData(path);
    const band = chartInterval(prediction.interval);
    parts.upper.setData(band ? forecastPath(prediction, band.upper) : []);
    parts.lower.setData(band ? forecastPath(prediction, band.lower) : []);
  }, [prediction, path]);

  // Set after every data change, not only when the prediction changes: the markers plugin keeps the
  // bar index it resolved at set time, and history loading after the forecast shifts every index.
  useEffect(() => {
    const parts = partsRef.current;
    if (!parts) {
      return;
    }
    const end = path.at(-1);
    parts.markers.setMarkers(
      end && prediction
        ? [
            {
              time: end.time,
              position: 'aboveBar',
              shape: 'circle',
              size: 0.8,
              color: CHART_COLORS.forecast,
              text: formatPrice(prediction.predictedClose),
            },
          ]
        : [],
    );
  }, [bars, prediction, path]);

  useEffect(() => {
    const parts = partsRef.current;
    const view = visibleWindow(range, bars, path);
    if (parts && view) {
      parts.chart.timeScale().setVisibleLogicalRange(view);
    }
  }, [range, bars, path]);

  return <div ref={containerRef} className="price-chart" data-testid="price-chart" />;
}
