// A fitted boosted forest in flat arrays, and its prediction on raw (unbinned) feature rows.

/** A fitted ensemble of trees in flat arrays: node k is a leaf when left[k] < 0. */
export interface Forest {
  baseline: number;
  trees: {
    feature: number[];
    threshold: number[];
    left: number[];
    right: number[];
    value: number[];
  }[];
}

/** Sum of the forest on raw (unbinned) rows: x <= threshold goes left, matching the bins. */
export function predictForest(forest: Forest, X: Float64Array, nRows: number, p: number) {
  const out = new Float64Array(nRows).fill(forest.baseline);
  for (const t of forest.trees) {
    for (let r = 0; r < nRows; r++) {
      let k = 0;
      for (;;) {
        const l = t.left[k] ?? -1;
        if (l < 0) {
          break;
        }
        const f = t.feature[k] ?? 0;
        k = (X[r * p + f] ?? 0) <= (t.threshold[k] ?? 0) ? l : (t.right[k] ?? 0);
      }
      out[r] = (out[r] ?? 0) + (t.value[k] ?? 0);
    }
  }
  return out;
}
