// Rolling-window primitives on typed arrays; NaN marks positions without a full window.
// Each takes `from`: only windows ending at index >= from are computed (the rest stay NaN). Every
// window is computed from its own values, so a value is the same whatever `from` is; serving asks
// for the last row only (from = n - 1) and pays for one window instead of the whole look-back.
// Window loops read typed arrays with `as number`, not `?? NaN`: their indices are inside the array by
// construction, and V8 compiles the plain read markedly faster.

// Window sums run four partial sums side by side (their order is fixed, so every window still gets
// the same bits wherever it is computed): one running sum waits on the latency of each add, four
// keep the adder busy. The loops below are these reductions, for about half of the feature build.

// Short columns (the live row's 61 values) come from shared chunks: V8 gives each `new Float64Array`
// its own off-heap backing store, about 1 us for 61 values against 0.1 us for a view of a chunk, and the
// live row makes some 150 of them. A chunk is never handed out twice, so a column is zeroed like a new
// array and stays valid as long as it is referenced; a kept column keeps its chunk (128 KiB) alive.
const CHUNK = 16384;
const SHORT = 1024;
let chunk = new Float64Array(CHUNK);
let chunkUsed = 0;

/** A Float64Array of n values, all `fill` (0 by default), for a feature or intermediate column. */
export function newColumn(n: number, fill = 0): Float64Array {
  let out: Float64Array;
  if (n > SHORT) {
    out = new Float64Array(n);
  } else {
    if (chunkUsed + n > CHUNK) {
      chunk = new Float64Array(CHUNK);
      chunkUsed = 0;
    }
    out = chunk.subarray(chunkUsed, chunkUsed + n);
    chunkUsed += n;
  }
  if (fill !== 0) {
    out.fill(fill);
  }
  return out;
}

/** Sum of x[lo..hi] (inclusive). */
function sumRange(x: Float64Array, lo: number, hi: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = lo;
  for (; j + 3 <= hi; j += 4) {
    s0 += x[j] as number;
    s1 += x[j + 1] as number;
    s2 += x[j + 2] as number;
    s3 += x[j + 3] as number;
  }
  for (; j <= hi; j++) {
    s0 += x[j] as number;
  }
  return s0 + s1 + (s2 + s3);
}

/** Sum of (x[j] - m)^2 over x[lo..hi] (inclusive). */
function sumSquaredDeviations(x: Float64Array, lo: number, hi: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = lo;
  for (; j + 3 <= hi; j += 4) {
    const d0 = (x[j] as number) - m;
    const d1 = (x[j + 1] as number) - m;
    const d2 = (x[j + 2] as number) - m;
    const d3 = (x[j + 3] as number) - m;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; j <= hi; j++) {
    const d = (x[j] as number) - m;
    s0 += d * d;
  }
  return s0 + s1 + (s2 + s3);
}

/** Sum of (x[j] - mx)(y[j] - my) over j in [lo, hi] (inclusive). */
function sumCrossDeviations(
  x: Float64Array,
  y: Float64Array,
  lo: number,
  hi: number,
  mx: number,
  my: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = lo;
  for (; j + 3 <= hi; j += 4) {
    s0 += ((x[j] as number) - mx) * ((y[j] as number) - my);
    s1 += ((x[j + 1] as number) - mx) * ((y[j + 1] as number) - my);
    s2 += ((x[j + 2] as number) - mx) * ((y[j + 2] as number) - my);
    s3 += ((x[j + 3] as number) - mx) * ((y[j + 3] as number) - my);
  }
  for (; j <= hi; j++) {
    s0 += ((x[j] as number) - mx) * ((y[j] as number) - my);
  }
  return s0 + s1 + (s2 + s3);
}

/** Rolling mean over `w` values ending at each index (inclusive). */
export function rollingMean(x: Float64Array, w: number, from = 0): Float64Array {
  const out = newColumn(x.length, Number.NaN);
  for (let i = Math.max(w - 1, from); i < x.length; i++) {
    out[i] = sumRange(x, i - w + 1, i) / w;
  }
  return out;
}

/**
 * Rolling sample standard deviation (ddof = 1, as pandas), two-pass per window for accuracy. `mean`,
 * when given, is `rollingMean(x, w, from)` already computed: the first pass is then read, not redone.
 */
export function rollingStd(
  x: Float64Array,
  w: number,
  from = 0,
  mean: Float64Array | null = null,
): Float64Array {
  const out = newColumn(x.length, Number.NaN);
  for (let i = Math.max(w - 1, from); i < x.length; i++) {
    const m = mean ? (mean[i] as number) : sumRange(x, i - w + 1, i) / w;
    out[i] = Math.sqrt(sumSquaredDeviations(x, i - w + 1, i, m) / (w - 1));
  }
  return out;
}

/** x[t] shifted back by k (x[t-k]); NaN for the first k positions. */
export function lag(x: Float64Array, k: number): Float64Array {
  const out = newColumn(x.length, Number.NaN);
  for (let i = k; i < x.length; i++) {
    out[i] = x[i - k] ?? Number.NaN;
  }
  return out;
}

/** Log change over k steps: ln(x[t] / x[t-k]). */
export function logChange(x: Float64Array, k: number, from = 0): Float64Array {
  const out = newColumn(x.length, Number.NaN);
  for (let i = Math.max(k, from); i < x.length; i++) {
    out[i] = Math.log((x[i] ?? Number.NaN) / (x[i - k] ?? Number.NaN));
  }
  return out;
}

/** Wilder's RSI in [0, 100]: the first average is a simple mean of `period` changes, then smoothed by 1/period. */
export function rsiWilder(x: Float64Array, period: number): Float64Array {
  const out = newColumn(x.length, Number.NaN);
  if (x.length <= period) {
    return out;
  }
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = (x[i] ?? 0) - (x[i - 1] ?? 0);
    gain += Math.max(d, 0);
    loss += Math.max(-d, 0);
  }
  gain /= period;
  loss /= period;
  const rsi = (g: number, l: number) => (l === 0 ? (g === 0 ? 50 : 100) : 100 - 100 / (1 + g / l));
  out[period] = rsi(gain, loss);
  for (let i = period + 1; i < x.length; i++) {
    const d = (x[i] ?? 0) - (x[i - 1] ?? 0);
    gain = (gain * (period - 1) + Math.max(d, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-d, 0)) / period;
    out[i] = rsi(gain, loss);
  }
  return out;
}

// Window primitives below compute every window from its own values only (no running sums carried
// across rows), so a row is bit-identical whether it is computed from the full history or from just
// its look-back: the property that keeps training rows and the live serving row the same.

const scratch = [new Int32Array(256), new Int32Array(256)];

/**
 * Reusable index buffers for the deques: the live row calls these a dozen times per request, where
 * allocating is most of the cost. Safe because nothing here re-enters or yields while using one.
 */
function scratchInts(n: number, slot: 0 | 1 = 0): Int32Array {
  let buf = scratch[slot] ?? new Int32Array(0);
  if (buf.length < n) {
    buf = new Int32Array(Math.max(n, 2 * buf.length));
    scratch[slot] = buf;
  }
  return buf;
}

/** Rolling minimum over `w` values; NaN when the window holds a NaN. */
export function rollingMin(x: Float64Array, w: number, from = 0): Float64Array {
  return rollingExtreme(x, w, -1, from);
}

/** Rolling maximum over `w` values; NaN when the window holds a NaN. */
export function rollingMax(x: Float64Array, w: number, from = 0): Float64Array {
  return rollingExtreme(x, w, 1, from);
}

/** Rolling extreme value from `extremeIndex`: exact (no arithmetic). `sign` 1 = max, -1 = min. */
function rollingExtreme(x: Float64Array, w: number, sign: 1 | -1, from: number): Float64Array {
  const idx = extremeIndex(x, w, sign, from);
  const out = newColumn(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i] as number;
    out[i] = j < 0 ? Number.NaN : (x[j] as number);
  }
  return out;
}

/**
 * Index of each window's extreme (the most recent one on ties), -1 where the window is incomplete or
 * holds a NaN. A monotonic deque that drops older equal values keeps it at the head: O(n), and a
 * window's result never depends on the values before it. `sign` 1 = max, -1 = min.
 */
function extremeIndex(x: Float64Array, w: number, sign: 1 | -1, from: number): Int32Array {
  const n = x.length;
  // Slot 1 holds the result, slot 0 the deque; callers read the result before the next call.
  const out = scratchInts(n, 1).subarray(0, n).fill(-1);
  const dq = scratchInts(n);
  let head = 0;
  let tail = 0;
  let lastNaN = -1;
  for (let i = Math.max(0, from - w + 1); i < n; i++) {
    const v = x[i] ?? Number.NaN;
    if (Number.isNaN(v)) {
      lastNaN = i;
    } else {
      while (tail > head && sign * (x[dq[tail - 1] ?? 0] ?? 0) <= sign * v) {
        tail--;
      }
      dq[tail++] = i;
    }
    while (tail > head && (dq[head] ?? 0) <= i - w) {
      head++;
    }
    if (i >= w - 1 && i >= from && lastNaN <= i - w && tail > head) {
      out[i] = dq[head] ?? -1;
    }
  }
  return out;
}

/**
 * Rolling quantiles with linear interpolation between order statistics (pandas' default
 * `interpolation='linear'`: position q * (w - 1) in the sorted window); NaN when the window holds one.
 * The window is kept sorted by binary-search insert and delete, which is exact: the sorted values are
 * the same whatever came before, so results do not depend on history.
 */
export function rollingQuantiles(
  x: Float64Array,
  w: number,
  qs: readonly number[],
  from = 0,
): Float64Array[] {
  const n = x.length;
  const outs = qs.map(() => newColumn(n, Number.NaN));
  const sorted = newColumn(w);
  let size = 0;
  let nans = 0;
  const lowerBound = (v: number): number => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] ?? 0) < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  };
  const start = Math.max(0, from - w + 1);
  for (let i = start; i < n; i++) {
    const v = x[i] ?? Number.NaN;
    const old = i - w >= start ? (x[i - w] as number) : Number.NaN;
    if (!Number.isNaN(old) && !Number.isNaN(v)) {
      // One value out, one in: slide the values between the two places by one. The result is the
      // array that deleting `old` and inserting `v` before its equals gives, in one pass and no call.
      let j = lowerBound(old);
      if (v > old) {
        for (; j + 1 < size && (sorted[j + 1] as number) < v; j++) {
          sorted[j] = sorted[j + 1] as number;
        }
      } else {
        for (; j > 0 && (sorted[j - 1] as number) >= v; j--) {
          sorted[j] = sorted[j - 1] as number;
        }
      }
      sorted[j] = v;
    } else {
      insertOrRemove(i, v);
    }
    if (i < w - 1 || i < from || nans > 0) {
      continue;
    }
    for (let k = 0; k < qs.length; k++) {
      const pos = (qs[k] ?? 0) * (w - 1);
      const lo = Math.floor(pos);
      const a = sorted[lo] ?? Number.NaN;
      const b = sorted[Math.ceil(pos)] ?? Number.NaN;
      const out = outs[k];
      if (out) {
        out[i] = a + (b - a) * (pos - lo);
      }
    }
  }
  return outs;

  function insertOrRemove(i: number, v: number): void {
    // The value leaving the window goes first, so the buffer never holds more than w values.
    if (i - w >= start) {
      const old = x[i - w] ?? Number.NaN;
      if (Number.isNaN(old)) {
        nans--;
      } else {
        const at = lowerBound(old);
        sorted.copyWithin(at, at + 1, size);
        size--;
      }
    }
    if (Number.isNaN(v)) {
      nans++;
    } else {
      const at = lowerBound(v);
      sorted.copyWithin(at + 1, at, size);
      sorted[at] = v;
      size++;
    }
  }
}

/**
 * Rolling mean and sample std (ddof = 1) over the finite values of each window, defined when at least
 * `minValid` are finite (pandas' `rolling(w, min_periods=minValid)`, which skips NaN).
 */
export function rollingMeanStdValid(
  x: Float64Array,
  w: number,
  minValid: number,
  from = 0,
): { mean: Float64Array; std: Float64Array } {
  const mean = newColumn(x.length, Number.NaN);
  const std = newColumn(x.length, Number.NaN);
  // Non-finite values in the current full window, counted as it slides (an exact integer, so it
  // depends on the window only). A window without any takes the partial sums the other windows use.
  let bad = 0;
  const first = Math.max(0, from - w + 1);
  for (let j = first; j < from; j++) {
    bad += Number.isFinite(x[j]) ? 0 : 1;
  }
  for (let i = from; i < x.length; i++) {
    bad += Number.isFinite(x[i]) ? 0 : 1;
    if (i - w >= first) {
      bad -= Number.isFinite(x[i - w]) ? 0 : 1;
    }
    if (bad === 0 && i >= w - 1 && w >= minValid) {
      const m = sumRange(x, i - w + 1, i) / w;
      mean[i] = m;
      if (w >= 2) {
        std[i] = Math.sqrt(sumSquaredDeviations(x, i - w + 1, i, m) / (w - 1));
      }
      continue;
    }
    const lo = Math.max(0, i - w + 1);
    let s = 0;
    let n = 0;
    for (let j = lo; j <= i; j++) {
      const v = x[j] as number;
      if (Number.isFinite(v)) {
        s += v;
        n++;
      }
    }
    if (n < minValid || n === 0) {
      continue;
    }
    const m = s / n;
    mean[i] = m;
    if (n < 2) {
      continue;
    }
    let ss = 0;
    for (let j = lo; j <= i; j++) {
      const v = x[j] as number;
      if (Number.isFinite(v)) {
        ss += (v - m) * (v - m);
      }
    }
    std[i] = Math.sqrt(ss / (n - 1));
  }
  return { mean, std };
}

/**
 * Rolling Pearson correlation over `w` pairs; NaN when a window holds a NaN or either side is
 * constant (a correlation with a constant is undefined, not zero). Constancy is tested exactly (all
 * values equal), not by a variance threshold that rounding could cross either way.
 */
export function rollingCorr(x: Float64Array, y: Float64Array, w: number, from = 0): Float64Array {
  const out = newColumn(x.length, Number.NaN);
  for (let i = Math.max(w - 1, from); i < x.length; i++) {
    const sx = sumRange(x, i - w + 1, i);
    const sy = sumRange(y, i - w + 1, i);
    let xConst = true;
    let yConst = true;
    const x0 = x[i] as number;
    const y0 = y[i] as number;
    for (let j = i - w + 1; j <= i && (xConst || yConst); j++) {
      xConst &&= (x[j] as number) === x0;
      yConst &&= (y[j] as number) === y0;
    }
    if (!Number.isFinite(sx) || !Number.isFinite(sy) || xConst || yConst) {
      continue;
    }
    const mx = sx / w;
    const my = sy / w;
    const lo = i - w + 1;
    const sxx = sumSquaredDeviations(x, lo, i, mx);
    const syy = sumSquaredDeviations(y, lo, i, my);
    out[i] = sumCrossDeviations(x, y, lo, i, mx, my) / Math.sqrt(sxx * syy);
  }
  return out;
}

/** Largest minus smallest finite value of each window (NaN when it has none): 0 means constant. */
export function rollingSpanValid(x: Float64Array, w: number, from = 0): Float64Array {
  const n = x.length;
  const out = newColumn(n, Number.NaN);
  const hiQ = scratchInts(n, 0);
  const loQ = scratchInts(n, 1);
  let hiHead = 0;
  let hiTail = 0;
  let loHead = 0;
  let loTail = 0;
  for (let i = Math.max(0, from - w + 1); i < n; i++) {
    const v = x[i] ?? Number.NaN;
    if (!Number.isNaN(v)) {
      while (hiTail > hiHead && (x[hiQ[hiTail - 1] ?? 0] ?? 0) <= v) {
        hiTail--;
      }
      hiQ[hiTail++] = i;
      while (loTail > loHead && (x[loQ[loTail - 1] ?? 0] ?? 0) >= v) {
        loTail--;
      }
      loQ[loTail++] = i;
    }
    while (hiTail > hiHead && (hiQ[hiHead] ?? 0) <= i - w) {
      hiHead++;
    }
    while (loTail > loHead && (loQ[loHead] ?? 0) <= i - w) {
      loHead++;
    }
    if (i >= from && hiTail > hiHead && loTail > loHead) {
      out[i] = (x[hiQ[hiHead] ?? 0] ?? 0) - (x[loQ[loHead] ?? 0] ?? 0);
    }
  }
  return out;
}

/**
 * Exponentially weighted mean over the last `w` values with weights (1 - alpha)^k, k = 0 for the
 * newest, normalised to sum 1 (pandas' `ewm(alpha=alpha, adjust=True).mean()` of the window's values).
 * A finite window keeps the feature a function of its look-back only.
 */
export function ewmWindow(x: Float64Array, alpha: number, w: number, from = 0): Float64Array {
  const weights = ewmWeights(alpha, w);
  const out = newColumn(x.length, Number.NaN);
  for (let i = Math.max(w - 1, from); i < x.length; i++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let k = 0;
    for (; k + 3 < w; k += 4) {
      s0 += (weights[k] as number) * (x[i - k] as number);
      s1 += (weights[k + 1] as number) * (x[i - k - 1] as number);
      s2 += (weights[k + 2] as number) * (x[i - k - 2] as number);
      s3 += (weights[k + 3] as number) * (x[i - k - 3] as number);
    }
    for (; k < w; k++) {
      s0 += (weights[k] as number) * (x[i - k] as number);
    }
    out[i] = s0 + s1 + (s2 + s3);
  }
  return out;
}

const weightCache = new Map<string, Float64Array>();

/** Normalised EWM weights, index 0 = newest value (memoised: the live row asks for the same ones each time). */
export function ewmWeights(alpha: number, w: number): Float64Array {
  const key = `${alpha}:${w}`;
  const hit = weightCache.get(key);
  if (hit) {
    return hit;
  }
  const weights = computeEwmWeights(alpha, w);
  weightCache.set(key, weights);
  return weights;
}

function computeEwmWeights(alpha: number, w: number): Float64Array {
  const raw = new Float64Array(w);
  let total = 0;
  for (let k = 0; k < w; k++) {
    raw[k] = (1 - alpha) ** k;
    total += raw[k] ?? 0;
  }
  return raw.map((v) => v / total);
}

/** Bars since the window's extreme (0 = today), the most recent one on ties; `sign` 1 = max, -1 = min. */
export function barsSinceExtreme(x: Float64Array, w: number, sign: 1 | -1, from = 0): Float64Array {
  const idx = extremeIndex(x, w, sign, from);
  const out = newColumn(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i] as number;
    out[i] = j < 0 ? Number.NaN : i - j;
  }
  return out;
}
