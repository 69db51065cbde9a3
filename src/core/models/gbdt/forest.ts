// A fitted boosted forest in flat arrays, and its prediction on raw (unbinned) feature rows.
import { arrayAt, finiteAt, finiteArrayAt, integerAt, invalid, objectAt } from '../json-checks.js';

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

/**
 * A saved forest over `inputs` columns, checked so that predictForest always ends: in every tree the five
 * arrays have one entry per node, a split node's children come after it (so no walk can loop) and its
 * feature is a column the rows have; every number is finite.
 */
export function checkForest(v: unknown, path: string, inputs: number): Forest {
  const o = objectAt(v, path);
  finiteAt(o.baseline, `${path}.baseline`);
  arrayAt(o.trees, `${path}.trees`, null).forEach((t, i) => {
    const at = `${path}.trees[${i}]`;
    const tree = objectAt(t, at);
    const left = finiteArrayAt(tree.left, `${at}.left`);
    const nodes = left.length;
    if (nodes === 0) {
      invalid(`${at}.left`, 'at least one node', left);
    }
    const right = finiteArrayAt(tree.right, `${at}.right`, nodes);
    const feature = finiteArrayAt(tree.feature, `${at}.feature`, nodes);
    finiteArrayAt(tree.threshold, `${at}.threshold`, nodes);
    finiteArrayAt(tree.value, `${at}.value`, nodes);
    for (let k = 0; k < nodes; k++) {
      if ((left[k] ?? -1) < 0) {
        continue;
      }
      integerAt(left[k], `${at}.left[${k}]`, k + 1, nodes - 1);
      integerAt(right[k], `${at}.right[${k}]`, k + 1, nodes - 1);
      integerAt(feature[k], `${at}.feature[${k}]`, 0, inputs - 1);
    }
  });
  return v as Forest;
}
