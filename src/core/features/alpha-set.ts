// The `alpha` feature set: scale-free families in the spirit of Qlib's Alpha158, each a function of the last 61 bars.
import type { PriceSeries } from '../data/index.js';
import type { FeatureSet, FeatureSpec } from './feature-set.js';
import {
  barsSinceExtreme,
  newColumn,
  ewmWeights,
  ewmWindow,
  logChange,
  rollingCorr,
  rollingMax,
  rollingMean,
  rollingMeanStdValid,
  rollingMin,
  rollingQuantiles,
  rollingSpanValid,
  rollingStd,
} from './rolling.js';

/** Bars before a row that its features may read: the longest window (60 returns) needs 61 bars. */
export const ALPHA_LOOKBACK = 60;
/** Rolling windows of the return, range and trend families (Alpha158 uses 5, 10, 20, 30, 60). */
export const ALPHA_WINDOWS = [5, 10, 20, 60] as const;
/** Horizons of the plain return family, in trading days. */
export const ALPHA_RETURN_LAGS = [1, 2, 3, 5, 10, 20] as const;

// Intermediate columns are shared by many features and never mutated after creation. They are
// memoised for the most recent series object only: features are computed one series at a time, and a
// WeakMap entry per series made garbage collection the largest cost of the live row.
let memoSeries: PriceSeries | null = null;
let memo = new Map<string, Float64Array>();

function cached(s: PriceSeries, key: string, make: () => Float64Array): Float64Array {
  if (memoSeries !== s) {
    memoSeries = s;
    memo = new Map();
  }
  const m = memo;
  const hit = m.get(key);
  if (hit) {
    return hit;
  }
  const v = make();
  m.set(key, v);
  return v;
}

/**
 * Open, high and low scaled by adjClose / close, so that splits and dividends move every price field
 * alike; the adjusted close itself is `adjClose`.
 */
const adj = (s: PriceSeries, field: 'open' | 'high' | 'low'): Float64Array =>
  cached(s, `adj.${field}`, () =>
    // The ratio first: it is exactly 1 for unadjusted series, which then keep their prices bit for bit.
    mapTyped(s[field], (v, i) => v * ((s.adjClose[i] ?? Number.NaN) / (s.close[i] ?? Number.NaN))),
  );
const ret = (s: PriceSeries) => cached(s, 'ret', () => logChange(s.adjClose, 1));
const range = (s: PriceSeries) =>
  cached(s, 'range', () => {
    const h = adj(s, 'high');
    const l = adj(s, 'low');
    return mapTyped(s.adjClose, (c, i) => ((h[i] ?? Number.NaN) - (l[i] ?? Number.NaN)) / c);
  });
/** Log volume; zero, negative or missing volume is missing (NaN), never -Infinity. */
const logVolume = (s: PriceSeries) =>
  cached(s, 'logVolume', () => mapTyped(s.volume, (v) => (v > 0 ? Math.log(v) : Number.NaN)));

/** Rolling means of the columns that also get a rolling std or a second use: computed once per series and `from`. */
const meanOf = (s: PriceSeries, name: 'close' | 'ret' | 'range', w: number, from: number) =>
  cached(s, `mean.${name}.${w}.${from}`, () =>
    rollingMean(name === 'close' ? s.adjClose : name === 'ret' ? ret(s) : range(s), w, from),
  );

/** The 20% and 80% quantiles of daily returns share one sort per window. */
function retQuantile(s: PriceSeries, w: number, q: 20 | 80, from: number): Float64Array {
  const key = `retq.${w}.${from}`;
  const lo = cached(s, `${key}.20`, () => {
    const [q20, q80] = rollingQuantiles(ret(s), w, [0.2, 0.8], from);
    if (q80) {
      cached(s, `${key}.80`, () => q80);
    }
    return q20 ?? new Float64Array(0);
  });
  return q === 20
    ? lo
    : cached(s, `${key}.80`, () => rollingQuantiles(ret(s), w, [0.8], from)[0] ?? lo);
}

/**
 * Element-wise map of a typed array by index into a new column. A plain loop: V8's
 * TypedArray.prototype.map goes through the species constructor and measured three times slower
 * on 61-value columns, the size of the live row.
 */
function mapTyped(a: Float64Array, fn: (v: number, i: number) => number, from = 0): Float64Array {
  const out = newColumn(a.length);
  out.fill(Number.NaN, 0, from);
  for (let i = from; i < a.length; i++) {
    out[i] = fn(a[i] as number, i);
  }
  return out;
}

/** Divides where the denominator is a real spread; a zero spread leaves the feature undefined. */
const safeRatio = (num: number, den: number): number => (den > 0 ? num / den : Number.NaN);

function kbar(
  s: PriceSeries,
  part: 'mid' | 'len' | 'up' | 'low' | 'sft',
  from: number,
): Float64Array {
  const o = adj(s, 'open');
  const h = adj(s, 'high');
  const l = adj(s, 'low');
  return mapTyped(
    s.adjClose,
    (c, i) => {
      const oi = o[i] ?? Number.NaN;
      const hi = h[i] ?? Number.NaN;
      const li = l[i] ?? Number.NaN;
      switch (part) {
        case 'mid':
          return (c - oi) / oi;
        case 'len':
          return (hi - li) / oi;
        case 'up':
          return (hi - Math.max(oi, c)) / oi;
        case 'low':
          return (Math.min(oi, c) - li) / oi;
        case 'sft':
          return (2 * c - hi - li) / oi;
      }
    },
    from,
  );
}

function gap(s: PriceSeries, from: number): Float64Array {
  const o = adj(s, 'open');
  const out = newColumn(o.length, Number.NaN);
  for (let i = Math.max(1, from); i < o.length; i++) {
    out[i] = Math.log((o[i] ?? Number.NaN) / (s.adjClose[i - 1] ?? Number.NaN));
  }
  return out;
}

/** Wilder's RSI (alpha = 1/14) over the last 60 price changes: 100 * avgGain / (avgGain + avgLoss). */
function rsiWindow(s: PriceSeries, period: number, w: number, from: number): Float64Array {
  const c = s.adjClose;
  const weights = ewmWeights(1 / period, w);
  const out = newColumn(c.length, Number.NaN);
  for (let i = Math.max(w, from); i < c.length; i++) {
    let gain = 0;
    let loss = 0;
    // Without a branch (up and down days alternate at random): (d + |d|) / 2 is exactly d or 0, and
    // (|d| - d) / 2 exactly -d or 0. A NaN change makes both sums NaN instead of one; the result is
    // 0 either way.
    for (let k = 0; k < w; k++) {
      const d = (c[i - k] as number) - (c[i - k - 1] as number);
      const a = Math.abs(d);
      const wk = weights[k] as number;
      gain += wk * ((d + a) * 0.5);
      loss += wk * ((a - d) * 0.5);
    }
    // A window without any change has no direction: the neutral RSI of 50.
    out[i] = gain + loss > 0 ? gain / (gain + loss) - 0.5 : 0;
  }
  return out;
}

/** MACD line: EWM(span 12) - EWM(span 26) of the adjusted close over 40 bars, divided by the close. */
const macdLine = (s: PriceSeries) =>
  cached(s, 'macd', () => {
    const fast = ewmWindow(s.adjClose, 2 / 13, 40);
    const slow = ewmWindow(s.adjClose, 2 / 27, 40);
    return mapTyped(s.adjClose, (c, i) => ((fast[i] ?? Number.NaN) - (slow[i] ?? Number.NaN)) / c);
  });
/** MACD signal: EWM(span 9) of the MACD line over its last 20 values. */
const macdSignal = (s: PriceSeries) =>
  cached(s, 'macdSignal', () => ewmWindow(macdLine(s), 0.2, 20));

function bollingerB(s: PriceSeries, w: number, from: number): Float64Array {
  const m = meanOf(s, 'close', w, from);
  const sd = rollingStd(s.adjClose, w, from, m);
  const span = rollingSpanValid(s.adjClose, w, from);
  // %B = (C - lower) / (upper - lower) with bands at +-2 sd, centred on 0; a constant window has no bands.
  return mapTyped(
    s.adjClose,
    (c, i) =>
      span[i] === 0 ? Number.NaN : safeRatio(c - (m[i] ?? Number.NaN), 4 * (sd[i] ?? Number.NaN)),
    from,
  );
}

function atrRatio(s: PriceSeries, w: number, from: number): Float64Array {
  const h = adj(s, 'high');
  const l = adj(s, 'low');
  const c = s.adjClose;
  const tr = newColumn(c.length, Number.NaN);
  for (let i = Math.max(1, from - w + 1); i < c.length; i++) {
    const hi = h[i] ?? Number.NaN;
    const li = l[i] ?? Number.NaN;
    const pc = c[i - 1] ?? Number.NaN;
    tr[i] = Math.max(hi - li, Math.abs(hi - pc), Math.abs(li - pc));
  }
  const atr = rollingMean(tr, w, from);
  return mapTyped(c, (v, i) => (atr[i] ?? Number.NaN) / v, from);
}

function stochasticK(s: PriceSeries, w: number, from: number): Float64Array {
  const hh = rollingMax(adj(s, 'high'), w, from);
  const ll = rollingMin(adj(s, 'low'), w, from);
  return mapTyped(
    s.adjClose,
    (c, i) =>
      safeRatio(c - (ll[i] ?? Number.NaN), (hh[i] ?? Number.NaN) - (ll[i] ?? Number.NaN)) - 0.5,
    from,
  );
}

function volumeZ(s: PriceSeries, w: number, from: number): Float64Array {
  const lv = logVolume(s);
  const { mean, std } = rollingMeanStdValid(lv, w, Math.ceil(w / 2), from);
  const span = rollingSpanValid(lv, w, from);
  // Constant volume has no z-score (undefined, not 0): the imputer decides, on training data only.
  return mapTyped(
    lv,
    (v, i) => (span[i] === 0 ? Number.NaN : (v - (mean[i] ?? Number.NaN)) / (std[i] ?? Number.NaN)),
    from,
  );
}

const SAKAMOTO = Int32Array.from([0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]);

/** Digits [at, at + len) of a YYYY-MM-DD string as a number (character codes: no substrings). */
function digits(date: string, at: number, len: number): number {
  let v = 0;
  for (let k = at; k < at + len; k++) {
    v = v * 10 + (date.charCodeAt(k) - 48);
  }
  return v;
}

/** Day of week (0 = Sunday) from YYYY-MM-DD by Sakamoto's method: no Date object per row. */
function weekdayOf(date: string): number {
  const m = digits(date, 5, 2);
  const d = digits(date, 8, 2);
  const y = digits(date, 0, 4) - (m < 3 ? 1 : 0);
  return (
    (y +
      Math.floor(y / 4) -
      Math.floor(y / 100) +
      Math.floor(y / 400) +
      (SAKAMOTO[m - 1] ?? 0) +
      d) %
    7
  );
}

function dayOfWeekIndicator(s: PriceSeries, weekday: number, from: number): Float64Array {
  const dow = cached(s, `dow.${from}`, () => {
    const out = newColumn(s.dates.length);
    for (let i = from; i < out.length; i++) {
      out[i] = weekdayOf(s.dates[i] ?? '');
    }
    return out;
  });
  return mapTyped(dow, (d) => (d === weekday ? 1 : 0), from);
}

const f = (
  name: string,
  description: string,
  compute: (s: PriceSeries, from: number) => Float64Array,
): FeatureSpec => ({
  name,
  description,
  compute: (s, from = 0) => compute(s, from),
});

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

function alphaFeatures(): FeatureSpec[] {
  const out: FeatureSpec[] = [
    f('kmid', '(close - open) / open of the day', (s, from) => kbar(s, 'mid', from)),
    f('klen', '(high - low) / open of the day', (s, from) => kbar(s, 'len', from)),
    f('kup', 'upper shadow (high - max(open, close)) / open', (s, from) => kbar(s, 'up', from)),
    f('klow', 'lower shadow (min(open, close) - low) / open', (s, from) => kbar(s, 'low', from)),
    f('ksft', '(2 close - high - low) / open: where the close sits in the bar', (s, from) =>
      kbar(s, 'sft', from),
    ),
    f('gap', 'log of open / previous close: the overnight gap', gap),
  ];
  for (const k of ALPHA_RETURN_LAGS) {
    out.push(
      f(`ret_${k}`, `log return of the adjusted close over ${k} day(s)`, (s, from) =>
        k === 1 ? ret(s) : logChange(s.adjClose, k, from),
      ),
    );
  }
  for (const w of ALPHA_WINDOWS) {
    out.push(
      f(`ret_mean_${w}`, `mean daily log return over ${w} days`, (s, from) =>
        meanOf(s, 'ret', w, from),
      ),
      f(`ret_std_${w}`, `std (ddof 1) of daily log returns over ${w} days`, (s, from) =>
        rollingStd(ret(s), w, from, meanOf(s, 'ret', w, from)),
      ),
      f(`ret_min_${w}`, `lowest daily log return over ${w} days`, (s, from) =>
        rollingMin(ret(s), w, from),
      ),
      f(`ret_max_${w}`, `highest daily log return over ${w} days`, (s, from) =>
        rollingMax(ret(s), w, from),
      ),
      f(`ret_q20_${w}`, `20% quantile (linear) of daily log returns over ${w} days`, (s, from) =>
        retQuantile(s, w, 20, from),
      ),
      f(`ret_q80_${w}`, `80% quantile (linear) of daily log returns over ${w} days`, (s, from) =>
        retQuantile(s, w, 80, from),
      ),
      f(`range_mean_${w}`, `mean of (high - low) / close over ${w} days`, (s, from) =>
        meanOf(s, 'range', w, from),
      ),
      f(`range_std_${w}`, `std (ddof 1) of (high - low) / close over ${w} days`, (s, from) =>
        rollingStd(range(s), w, from, meanOf(s, 'range', w, from)),
      ),
      f(`range_max_${w}`, `largest (high - low) / close over ${w} days`, (s, from) =>
        rollingMax(range(s), w, from),
      ),
      f(`close_sma_${w}`, `adjusted close / ${w}-day simple mean - 1`, (s, from) => {
        const m = meanOf(s, 'close', w, from);
        return mapTyped(s.adjClose, (c, i) => c / (m[i] ?? Number.NaN) - 1, from);
      }),
      f(
        `close_ema_${w}`,
        `adjusted close / exponential mean (span ${w}, last 60 bars) - 1`,
        (s, from) => {
          const m = ewmWindow(s.adjClose, 2 / (w + 1), ALPHA_LOOKBACK, from);
          return mapTyped(s.adjClose, (c, i) => c / (m[i] ?? Number.NaN) - 1, from);
        },
      ),
    );
  }
  out.push(
    f('rsi_14', "Wilder's RSI (alpha 1/14) over 60 changes, rescaled to [-0.5, 0.5]", (s, from) =>
      rsiWindow(s, 14, ALPHA_LOOKBACK, from),
    ),
    f('macd', 'MACD line (EWM spans 12/26 over 40 bars) / close', macdLine),
    f('macd_signal', 'MACD signal (EWM span 9 of the line over 20 values) / close', macdSignal),
    f('macd_hist', '(MACD line - signal) / close', (s, from) => {
      const sig = macdSignal(s);
      return mapTyped(macdLine(s), (v, i) => v - (sig[i] ?? Number.NaN), from);
    }),
    f('bb_pct_20', 'Bollinger %B over 20 days (bands at +-2 sd, ddof 1), centred on 0', (s, from) =>
      bollingerB(s, 20, from),
    ),
    f('atr_14', 'mean true range over 14 days / close', (s, from) => atrRatio(s, 14, from)),
    f('stoch_k_14', 'stochastic %K over 14 days, centred on 0', (s, from) =>
      stochasticK(s, 14, from),
    ),
  );
  for (const w of [20, 60]) {
    out.push(
      f(`high_age_${w}`, `days since the highest high of the last ${w} days, / ${w}`, (s, from) =>
        mapTyped(barsSinceExtreme(adj(s, 'high'), w, 1, from), (v) => v / w, from),
      ),
      f(`low_age_${w}`, `days since the lowest low of the last ${w} days, / ${w}`, (s, from) =>
        mapTyped(barsSinceExtreme(adj(s, 'low'), w, -1, from), (v) => v / w, from),
      ),
    );
  }
  out.push(
    f('pv_corr_20', 'correlation of daily log return and log volume over 20 days', (s, from) =>
      rollingCorr(ret(s), logVolume(s), 20, from),
    ),
    f('pv_corr_60', 'correlation of daily log return and log volume over 60 days', (s, from) =>
      rollingCorr(ret(s), logVolume(s), 60, from),
    ),
    f(
      'pv_cord_20',
      'correlation of daily log return and log volume change over 20 days',
      (s, from) => rollingCorr(ret(s), diff1(logVolume(s)), 20, from),
    ),
  );
  for (const w of [5, 20, 60]) {
    out.push(
      f(
        `volume_z_${w}`,
        `z-score of log volume against the valid days of the last ${w} (needs half of them)`,
        (s, from) => volumeZ(s, w, from),
      ),
    );
  }
  WEEKDAYS.forEach((d, i) => {
    out.push(
      f(`dow_${d}`, `1 on ${d}days, else 0`, (s, from) => dayOfWeekIndicator(s, i + 1, from)),
    );
  });
  return out;
}

function diff1(lv: Float64Array): Float64Array {
  const out = newColumn(lv.length, Number.NaN);
  for (let i = 1; i < lv.length; i++) {
    out[i] = (lv[i] ?? Number.NaN) - (lv[i - 1] ?? Number.NaN);
  }
  return out;
}

/**
 * Version 1 of the `alpha` set. A feature that cannot be computed on a row (missing or zero volume, a
 * constant window) is NaN here; models drop or impute it by a rule fitted on their training window.
 */
export const alphaFeatureSet: FeatureSet = {
  id: 'alpha',
  version: 1,
  lookback: ALPHA_LOOKBACK,
  window: ALPHA_LOOKBACK + 1,
  features: alphaFeatures(),
};
