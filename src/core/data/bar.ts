// Daily OHLCV bar and the columnar price series that features are computed from.
import { BarsOutOfOrderError } from '../errors/index.js';

/** One daily bar, dated in the exchange's own calendar (YYYY-MM-DD). */
export interface Bar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  adjClose: number;
  /** Null when the source reported no volume (indices often do). */
  volume: number | null;
}

/** Column-oriented bars of one ticker, sorted by date; missing volume is NaN. */
export interface PriceSeries {
  symbol: string;
  dates: readonly string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  adjClose: Float64Array;
  volume: Float64Array;
}

export function toSeries(symbol: string, bars: readonly Bar[]): PriceSeries {
  const n = bars.length;
  const s: PriceSeries = {
    symbol,
    dates: bars.map((b) => b.date),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    adjClose: new Float64Array(n),
    volume: new Float64Array(n),
  };
  bars.forEach((b, i) => {
    s.open[i] = b.open;
    s.high[i] = b.high;
    s.low[i] = b.low;
    s.close[i] = b.close;
    s.adjClose[i] = b.adjClose;
    s.volume[i] = b.volume ?? Number.NaN;
  });
  for (let i = 1; i < n; i++) {
    if ((s.dates[i] ?? '') <= (s.dates[i - 1] ?? '')) {
      throw new BarsOutOfOrderError(symbol, i, s.dates[i - 1] ?? '', s.dates[i] ?? '');
    }
  }
  return s;
}

/** Two bars carry the same values (dates assumed equal); used to tell duplicates from conflicts. */
export function sameBarValues(a: Bar, b: Bar): boolean {
  const eq = (x: number, y: number) => x === y || Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x));
  return (
    eq(a.open, b.open) &&
    eq(a.high, b.high) &&
    eq(a.low, b.low) &&
    eq(a.close, b.close) &&
    eq(a.adjClose, b.adjClose) &&
    (a.volume === b.volume || (a.volume !== null && b.volume !== null && eq(a.volume, b.volume)))
  );
}
