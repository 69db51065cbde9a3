// The drift tests of Evidently's legacy DataDriftPreset, each computed as Evidently computes it with scipy (sources cited per test).
// Evidently: src/evidently/legacy/calculations/stattests/*.py; scipy 1.17: stats.ks_2samp,
// stats.wasserstein_distance, stats.chisquare, spatial.distance.jensenshannon; numpy 2.4's histogram
// for the Sturges bins. Numerical samples are walked as two sorted lists (merge), never searched per value.
import { kstwoSf, ks2SampleExact, roundHalfEven } from './kolmogorov.js';
import {
  compareCategories,
  type CategoricalSample,
  type CategoryValue,
  type NumericSample,
} from './samples.js';
import { chi2Sf, ndtr } from './special-functions.js';

/** A test's outcome before its threshold is applied; `pValue` only for the tests that have one. */
export interface TestOutcome {
  statistic: number | null;
  pValue?: number;
}

/** scipy's ks_2samp with mode 'auto': exact while both samples have at most this many values. */
export const KS_MAX_EXACT_N = 10000;

/**
 * Two-sided two-sample Kolmogorov-Smirnov test (scipy.stats.ks_2samp, method 'auto'). The statistic
 * is the largest gap between the two empirical CDFs at any value of either sample (ties included as
 * scipy's searchsorted 'right' counts them); the exact p-value snaps it to the 1/lcm(n1, n2) lattice.
 */
export function ksTest(
  ref: NumericSample,
  cur: NumericSample,
): TestOutcome & { pValue: number; method: 'exact' | 'asymp' } {
  const n1 = ref.n;
  const n2 = cur.n;
  let d = ksStatistic(ref, cur);
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const exact = ks2SampleExact(n1, n2, d);
    if (exact.ok) {
      return { statistic: exact.statistic, pValue: exact.pValue, method: 'exact' };
    }
    // scipy falls back to the asymptotic distribution with the statistic it already snapped.
    d = exact.statistic;
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const p = kstwoSf(d, roundHalfEven(en));
  return { statistic: d, pValue: Math.min(Math.max(p, 0), 1), method: 'asymp' };
}

/** The two-sided KS statistic sup |F_ref - F_cur| over the values of both samples, as ks_2samp forms it. */
export function ksStatistic(ref: NumericSample, cur: NumericSample): number {
  const n1 = ref.n;
  const n2 = cur.n;
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  let i = 0;
  let j = 0;
  let c1 = 0;
  let c2 = 0;
  const rv = ref.values;
  const cv = cur.values;
  while (i < rv.length || j < cv.length) {
    const a = i < rv.length ? (rv[i] as number) : Infinity;
    const b = j < cv.length ? (cv[j] as number) : Infinity;
    const v = a < b ? a : b;
    if (a === v) {
      c1 = ref.cum[i] as number;
      i++;
    }
    if (b === v) {
      c2 = cur.cum[j] as number;
      j++;
    }
    const diff = c1 / n1 - c2 / n2;
    if (diff > maxDiff) {
      maxDiff = diff;
    }
    if (diff < minDiff) {
      minDiff = diff;
    }
  }
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  return minS > maxDiff ? minS : maxDiff;
}

/** scipy.stats.wasserstein_distance: the area between the two empirical CDFs. */
export function wassersteinDistance(u: NumericSample, v: NumericSample): number {
  const uv = u.values;
  const vv = v.values;
  let i = 0;
  let j = 0;
  let cu = 0;
  let cv = 0;
  let sum = 0;
  let comp = 0;
  let prev = NaN;
  let prevGap = 0;
  while (i < uv.length || j < vv.length) {
    const a = i < uv.length ? (uv[i] as number) : Infinity;
    const b = j < vv.length ? (vv[j] as number) : Infinity;
    const x = a < b ? a : b;
    if (i > 0 || j > 0) {
      // The gap between the CDFs holds from the previous value up to this one.
      const term = prevGap * (x - prev);
      const t = sum + term;
      comp += sum >= term ? sum - t + term : term - t + sum;
      sum = t;
    }
    if (a === x) {
      cu = u.cum[i] as number;
      i++;
    }
    if (b === x) {
      cv = v.cum[j] as number;
      j++;
    }
    prevGap = Math.abs(cu / u.n - cv / v.n);
    prev = x;
  }
  return sum + comp;
}

/** Evidently's normed Wasserstein distance: W1 over the reference's standard deviation, floored at 0.001. */
export function wassersteinNormed(ref: NumericSample, cur: NumericSample): TestOutcome {
  const norm = Math.max(ref.std, 0.001);
  return { statistic: wassersteinDistance(ref, cur) / norm };
}

/** Counts of both samples over the union of their values, in Python's sorted order of the values. */
export interface AlignedCounts {
  keys: CategoryValue[];
  ref: Float64Array;
  cur: Float64Array;
}

export function alignCounts(ref: CategoricalSample, cur: CategoricalSample): AlignedCounts {
  const keySet = new Set<CategoryValue>(ref.counts.keys());
  for (const k of cur.counts.keys()) {
    keySet.add(k);
  }
  const keys = [...keySet].sort(compareCategories);
  const r = new Float64Array(keys.length);
  const c = new Float64Array(keys.length);
  keys.forEach((k, i) => {
    r[i] = ref.counts.get(k) ?? 0;
    c[i] = cur.counts.get(k) ?? 0;
  });
  return { keys, ref: r, cur: c };
}

/**
 * Evidently's chi-square test: the current counts against the reference counts scaled to the current
 * size (scipy.stats.chisquare), k - 1 degrees of freedom over the k values seen in either sample. A value
 * absent from the reference makes the statistic infinite and the p-value 0.
 */
export function chiSquareTest(ref: CategoricalSample, cur: CategoricalSample): TestOutcome {
  const { ref: r, cur: c } = alignCounts(ref, cur);
  const kNorm = cur.n / ref.n;
  let stat = 0;
  for (let i = 0; i < r.length; i++) {
    const exp = (r[i] as number) * kNorm;
    const d = (c[i] as number) - exp;
    stat += (d * d) / exp;
  }
  return { statistic: stat, pValue: chi2Sf(stat, r.length - 1) };
}

/**
 * Evidently's two-proportion Z test: the share of values other than the smallest one (in Python's
 * sort order) in each sample, pooled variance. Two samples of one and the same value get p = 1 and no
 * statistic. The p-value is 2 ndtr(-|z|); Evidently writes 2 (1 - ndtr(|z|)), equal up to rounding but 0
 * beyond |z| = 8.3, where this keeps the tail.
 */
export function zTest(ref: CategoricalSample, cur: CategoricalSample): TestOutcome {
  if (ref.counts.size === 1 && cur.counts.size === 1) {
    const [a] = ref.counts.keys();
    const [b] = cur.counts.keys();
    if (a === b) {
      return { statistic: null, pValue: 1 };
    }
  }
  const { ref: r, cur: c } = alignCounts(ref, cur);
  const n1 = ref.n;
  const n2 = cur.n;
  const p1 = (n1 - (r[0] as number)) / n1;
  const p2 = (n2 - (c[0] as number)) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: 2 * ndtr(-Math.abs(z)) };
}

/** Shares of each sample per bin, and how many bins. */
export interface BinnedShares {
  ref: Float64Array;
  cur: Float64Array;
}

function lowerBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Weight of the values strictly below x. */
function weightBelow(s: NumericSample, x: number): number {
  const k = lowerBound(s.values, x);
  return k === 0 ? 0 : (s.cum[k - 1] as number);
}

/**
 * numpy's histogram_bin_edges(ref + cur, bins='sturges'): width = ptp / (log2 n + 1), as many equal
 * bins as cover [min, max] (np.linspace edges, the last edge exactly the maximum). Integer dtypes get a
 * width of at least 1 in numpy; numbers here are float64, so that rule never applies.
 */
export function sturgesEdges(ref: NumericSample, cur: NumericSample): Float64Array {
  const lo = Math.min(ref.min, cur.min);
  const hi = Math.max(ref.max, cur.max);
  let first = lo;
  let last = hi;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (hi - lo) / (Math.log2(ref.n + cur.n) + 1);
  const nBins = width ? Math.ceil((last - first) / width) : 1;
  const edges = new Float64Array(nBins + 1);
  const delta = last - first;
  const step = delta / nBins;
  for (let i = 0; i < nBins; i++) {
    edges[i] = (step === 0 ? (i / nBins) * delta : i * step) + first;
  }
  edges[nBins] = last;
  return edges;
}

/** np.histogram(sample, edges) / len(sample): half-open bins, the last one closed. */
export function histogramShares(s: NumericSample, edges: Float64Array): Float64Array {
  const nBins = edges.length - 1;
  const out = new Float64Array(nBins);
  let below = weightBelow(s, edges[0] as number);
  for (let i = 0; i < nBins; i++) {
    const upper =
      i === nBins - 1
        ? s.n - weightAbove(s, edges[nBins] as number)
        : weightBelow(s, edges[i + 1] as number);
    out[i] = (upper - below) / s.n;
    below = upper;
  }
  return out;
}

/** Weight of the values strictly above x. */
function weightAbove(s: NumericSample, x: number): number {
  let lo = 0;
  let hi = s.values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((s.values[mid] as number) <= x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return s.n - (lo === 0 ? 0 : (s.cum[lo - 1] as number));
}

/** Shares per value over the union of both samples' values (Evidently's value-count branch). */
export function valueShares(ref: CategoricalSample, cur: CategoricalSample): BinnedShares {
  const { ref: r, cur: c } = alignCounts(ref, cur);
  return { ref: r.map((x) => x / ref.n), cur: c.map((x) => x / cur.n) };
}

/**
 * Evidently's empty-bin rule for PSI (get_binned_data with feel_zeroes): a zero share becomes the
 * smallest non-zero share / 10^6 when that is at most 0.0001, else 0.0001; each sample on its own.
 */
export function fillEmptyBins(shares: Float64Array): Float64Array {
  let min = Infinity;
  for (const x of shares) {
    if (x !== 0 && x < min) {
      min = x;
    }
  }
  const fill = min <= 0.0001 ? min / 10 ** 6 : 0.0001;
  return shares.map((x) => (x === 0 ? fill : x));
}

/** scipy.special.rel_entr(x, y). */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) {
    return x * Math.log(x / y);
  }
  return x === 0 && y >= 0 ? 0 : Infinity;
}

/** scipy.spatial.distance.jensenshannon(p, q) with the natural logarithm: each vector normalised to sum 1. */
export function jensenShannonDistance(p0: Float64Array, q0: Float64Array): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p0.length; i++) {
    sp += p0[i] as number;
    sq += q0[i] as number;
  }
  let left = 0;
  let right = 0;
  for (let i = 0; i < p0.length; i++) {
    const p = (p0[i] as number) / sp;
    const q = (q0[i] as number) / sq;
    const m = (p + q) / 2;
    left += relEntr(p, m);
    right += relEntr(q, m);
  }
  return Math.sqrt((left + right) / 2);
}

/** Population stability index over already filled shares: sum (r - c) ln(r / c). */
export function psiOf(ref: Float64Array, cur: Float64Array): number {
  let s = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i] as number;
    const c = cur[i] as number;
    s += (r - c) * Math.log(r / c);
  }
  return s;
}
