// Quantile binning of feature columns as scikit-learn does it: bin edges per column, then one byte per value.

/**
 * Bin edges of one column as scikit-learn computes them: midpoints between distinct values when there
 * are at most maxBins of them, else the `midpoint` percentiles at maxBins - 1 evenly spaced ranks.
 */
export function binThresholds(col: Float64Array, maxBins: number): Float64Array {
  const sorted = Float64Array.from(col).sort();
  const n = sorted.length;
  const distinct: number[] = [];
  for (let i = 0; i < n && distinct.length <= maxBins; i++) {
    const v = sorted[i] ?? 0;
    if (distinct.length === 0 || v !== distinct[distinct.length - 1]) {
      distinct.push(v);
    }
  }
  if (distinct.length <= maxBins) {
    const out = new Float64Array(Math.max(0, distinct.length - 1));
    for (let i = 0; i < out.length; i++) {
      out[i] = ((distinct[i] ?? 0) + (distinct[i + 1] ?? 0)) * 0.5;
    }
    return out;
  }
  const out = new Float64Array(maxBins - 1);
  for (let k = 1; k < maxBins; k++) {
    // numpy.percentile(method="midpoint"): the mean of the two order statistics around the rank.
    const rank = ((k * 100) / maxBins / 100) * (n - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    out[k - 1] = ((sorted[lo] ?? 0) + (sorted[hi] ?? 0)) / 2;
  }
  return out;
}

/** Bin of v: the first edge >= v (values equal to an edge go left, as in scikit-learn). */
function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= (edges[mid] ?? 0)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

export interface Binned {
  n: number;
  p: number;
  /** Feature-major: bins[f * n + i]; one byte per value. */
  bins: Uint8Array;
}

export function binMatrix(
  X: Float64Array,
  n: number,
  p: number,
  edges: readonly Float64Array[],
): Binned {
  const bins = new Uint8Array(n * p);
  for (let f = 0; f < p; f++) {
    const e = edges[f] ?? new Float64Array(0);
    const off = f * n;
    for (let i = 0; i < n; i++) {
      bins[off + i] = binOf(e, X[i * p + f] ?? 0);
    }
  }
  return { n, p, bins };
}
