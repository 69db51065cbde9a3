// The boosting loop: gradients of squared loss, one tree per iteration, early stopping on validation rows.
import { mulberry32 } from '../rng.js';
import { binMatrix, binThresholds, type Binned } from './binning.js';
import type { BoostingParams } from './boosting-params.js';
import type { Forest } from './forest.js';
import type { GrowContext, TreeBuild } from './grow-context.js';
import { growTree } from './grow-tree.js';
import { LANE, packingFor } from './histogram.js';
import { reciprocals } from './split.js';

export interface BoostResult {
  forest: Forest;
  /** Validation RMSE after each iteration (index 0 = baseline only); empty without validation rows. */
  validationCurve: number[];
  /** Iterations at the lowest validation error (all iterations without validation rows). */
  bestIter: number;
}

/**
 * Fits a boosted forest on (X, y). With validation rows, stops after `nIterNoChange` iterations
 * without relative improvement beyond `tol`, and reports the best iteration.
 */
export function boost(
  train: { X: Float64Array; y: Float64Array; n: number; p: number },
  params: BoostingParams,
  validation: { X: Float64Array; y: Float64Array; n: number; nIterNoChange: number } | null = null,
  tol = 1e-7,
): BoostResult {
  const { n, p, y } = train;
  const maxBins = Math.min(255, Math.max(2, params.maxBins));
  const edges: Float64Array[] = [];
  const col = new Float64Array(n);
  for (let f = 0; f < p; f++) {
    for (let i = 0; i < n; i++) {
      col[i] = train.X[i * p + f] ?? 0;
    }
    edges.push(binThresholds(col, maxBins));
  }
  const binned = binMatrix(train.X, n, p, edges);
  const nBins = Int32Array.from(edges, (e) => e.length + 1);
  const hOff = new Int32Array(p + 1);
  for (let f = 0; f < p; f++) {
    hOff[f + 1] = (hOff[f] ?? 0) + (nBins[f] ?? 0);
  }
  const valBinned = validation ? binMatrix(validation.X, validation.n, p, edges) : null;

  let baseline = 0;
  for (let i = 0; i < n; i++) {
    baseline += y[i] ?? 0;
  }
  baseline = n > 0 ? baseline / n : 0;

  const pred = new Float64Array(n).fill(baseline);
  const valPred = validation ? new Float64Array(validation.n).fill(baseline) : null;
  const curve: number[] = [];
  if (validation && valPred) {
    curve.push(rmse(valPred, validation.y));
  }
  let bestIter = 0;
  const trees: TreeBuild[] = [];
  const rand = mulberry32(params.seed);
  const nSample = params.subsample < 1 ? Math.max(1, Math.floor(params.subsample * n)) : n;
  const perm = new Uint32Array(n);
  const ctx: GrowContext = {
    b: binned,
    nBins,
    hOff,
    slots: hOff[p] ?? 0,
    g: new Float64Array(n),
    v: new Float64Array(n),
    idx: new Uint32Array(nSample),
    scratch: new Uint32Array(nSample),
    vOrdered: new Float64Array(nSample),
    packing: packingFor(nSample),
    params,
    inv: reciprocals(nSample, params.l2Regularization),
    pool: [],
    lanes: new Float64Array(3 * LANE),
  };
  const { g, v, idx } = ctx;
  const { unit, qMax } = ctx.packing;

  for (let iter = 0; iter < params.maxIter; iter++) {
    let maxAbs = 0;
    for (let i = 0; i < n; i++) {
      const gi = (pred[i] as number) - (y[i] as number);
      g[i] = gi;
      const a = gi < 0 ? -gi : gi;
      if (a > maxAbs) {
        maxAbs = a;
      }
    }
    const q = maxAbs > 0 ? qMax / maxAbs : 0;
    for (let i = 0; i < n; i++) {
      v[i] = unit + Math.round((g[i] as number) * q);
    }
    if (nSample < n) {
      // Partial Fisher-Yates by the seeded generator, then sorted so histogram reads stay in order.
      for (let i = 0; i < n; i++) {
        perm[i] = i;
      }
      for (let i = 0; i < nSample; i++) {
        const j = i + Math.floor(rand() * (n - i));
        const t = perm[i] ?? 0;
        perm[i] = perm[j] ?? 0;
        perm[j] = t;
      }
      idx.set(perm.subarray(0, nSample));
      idx.sort();
    } else {
      for (let i = 0; i < n; i++) {
        idx[i] = i;
      }
    }
    const tree = growTree(ctx);
    const leafValues = tree.value;
    // Training rows in the sample sit in their leaf's index range; the others are routed by bins.
    if (nSample === n) {
      for (const leaf of tree.leaves) {
        const lv = leafValues[leaf.node] ?? 0;
        for (let k = leaf.start; k < leaf.end; k++) {
          const i = idx[k] as number;
          pred[i] = (pred[i] as number) + lv;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        pred[i] = (pred[i] ?? 0) + routeBinned(tree, binned, i);
      }
    }
    trees.push(tree);
    if (validation && valPred && valBinned) {
      for (let i = 0; i < validation.n; i++) {
        valPred[i] = (valPred[i] ?? 0) + routeBinned(tree, valBinned, i);
      }
      const score = rmse(valPred, validation.y);
      curve.push(score);
      const best = curve[bestIter] ?? Number.POSITIVE_INFINITY;
      if (score < best * (1 - tol)) {
        bestIter = iter + 1;
      } else if (iter + 1 - bestIter >= validation.nIterNoChange) {
        break;
      }
    }
  }
  if (!validation) {
    bestIter = trees.length;
  }
  return {
    forest: {
      baseline,
      trees: trees.map((t) => ({
        feature: t.feature,
        threshold: t.feature.map((f, k) =>
          f < 0 ? 0 : (edges[f]?.[t.binThreshold[k] ?? 0] ?? Number.MAX_VALUE),
        ),
        left: t.left,
        right: t.right,
        // -0 and 0 print alike in JSON; normalising keeps predictions bit-identical after a round trip.
        value: t.value.map((x) => (x === 0 ? 0 : x)),
      })),
    },
    validationCurve: curve,
    bestIter,
  };
}

function rmse(pred: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const d = (pred[i] ?? 0) - (y[i] ?? 0);
    s += d * d;
  }
  return Math.sqrt(s / Math.max(1, y.length));
}

function routeBinned(tree: TreeBuild, b: Binned, i: number): number {
  let k = 0;
  for (;;) {
    const l = tree.left[k] ?? -1;
    if (l < 0) {
      return tree.value[k] ?? 0;
    }
    const f = tree.feature[k] ?? 0;
    k = (b.bins[f * b.n + i] ?? 0) <= (tree.binThreshold[k] ?? 0) ? l : (tree.right[k] ?? 0);
  }
}
