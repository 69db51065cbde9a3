// The feature pipeline shared by training and serving: one declared look-back, scale-free columns only.
import type { PriceSeries } from '../data/index.js';
import { lag, logChange, rollingMean, rollingStd, rsiWilder } from './rolling.js';

export interface FeatureSpec {
  name: string;
  /** One line: what the column measures. */
  description: string;
  /**
   * The column for every bar of the series. Values at indices below `from` may be left NaN: callers
   * that need only recent rows (serving) pass it, and the values from `from` on are the same.
   */
  compute(s: PriceSeries, from?: number): Float64Array;
}

export interface FeatureSet {
  id: string;
  version: number;
  /** Bars of history a row needs before all its features are defined. */
  lookback: number;
  /**
   * Trailing bars that determine a row exactly (the row's own bar included), or null when a feature
   * has unbounded memory (a recursive average) and the live row must be computed from the whole history.
   */
  window: number | null;
  features: readonly FeatureSpec[];
}

/** `id@version`, the key a model records so it is served with the feature set it was trained on. */
export const featureSetKey = (set: Pick<FeatureSet, 'id' | 'version'>): string =>
  `${set.id}@${set.version}`;

const ratioMinusOne = (a: Float64Array, b: Float64Array) =>
  a.map((v, i) => v / (b[i] ?? Number.NaN) - 1);

/**
 * Volume z-score over 20 days. Indices and thin series report no or constant volume; a z-score is then
 * undefined, and 0 ("an ordinary day") is the neutral value, so the model input never holds NaN.
 */
function volumeZ(s: PriceSeries, w: number): Float64Array {
  const v = s.volume;
  const out = new Float64Array(v.length).fill(Number.NaN);
  for (let i = w - 1; i < v.length; i++) {
    let sum = 0;
    let n = 0;
    for (let j = i - w + 1; j <= i; j++) {
      const x = v[j] ?? Number.NaN;
      if (Number.isFinite(x) && x > 0) {
        sum += x;
        n++;
      }
    }
    const x = v[i] ?? Number.NaN;
    if (n < 2 || !(Number.isFinite(x) && x > 0)) {
      out[i] = 0;
      continue;
    }
    const m = sum / n;
    let ss = 0;
    for (let j = i - w + 1; j <= i; j++) {
      const y = v[j] ?? Number.NaN;
      if (Number.isFinite(y) && y > 0) {
        ss += (y - m) * (y - m);
      }
    }
    const sd = Math.sqrt(ss / (n - 1));
    out[i] = sd > 0 ? (x - m) / sd : 0;
  }
  return out;
}

const returns = (s: PriceSeries) => logChange(s.adjClose, 1);

/** The first feature set: lagged returns, rolling return statistics, trend ratios, RSI, volume z-score. */
export const basicFeatureSet: FeatureSet = {
  id: 'basic',
  version: 1,
  lookback: 20,
  // Wilder's RSI here is recursive from the first bar, so a row depends on the whole history.
  window: null,
  features: [
    { name: 'ret_1', description: 'log return of adjusted close over 1 day', compute: returns },
    {
      name: 'ret_lag_1',
      description: 'previous day log return',
      compute: (s) => lag(returns(s), 1),
    },
    {
      name: 'ret_lag_2',
      description: 'log return two days back',
      compute: (s) => lag(returns(s), 2),
    },
    {
      name: 'ret_5',
      description: 'log return over 5 days',
      compute: (s) => logChange(s.adjClose, 5),
    },
    {
      name: 'ret_20',
      description: 'log return over 20 days',
      compute: (s) => logChange(s.adjClose, 20),
    },
    {
      name: 'ret_mean_5',
      description: 'mean daily log return, last 5 days',
      compute: (s) => rollingMean(returns(s), 5),
    },
    {
      name: 'ret_std_5',
      description: 'std of daily log returns, last 5 days',
      compute: (s) => rollingStd(returns(s), 5),
    },
    {
      name: 'ret_std_20',
      description: 'std of daily log returns, last 20 days',
      compute: (s) => rollingStd(returns(s), 20),
    },
    {
      name: 'close_sma_5',
      description: 'adjusted close / 5-day SMA - 1',
      compute: (s) => ratioMinusOne(s.adjClose, rollingMean(s.adjClose, 5)),
    },
    {
      name: 'close_sma_20',
      description: 'adjusted close / 20-day SMA - 1',
      compute: (s) => ratioMinusOne(s.adjClose, rollingMean(s.adjClose, 20)),
    },
    {
      name: 'rsi_14',
      description: "Wilder's 14-day RSI rescaled to [-0.5, 0.5]",
      compute: (s) => rsiWilder(s.adjClose, 14).map((v) => v / 100 - 0.5),
    },
    {
      name: 'volume_z_20',
      description: 'volume z-score over 20 days (0 when volume is missing or constant)',
      compute: (s) => volumeZ(s, 20),
    },
  ],
};
