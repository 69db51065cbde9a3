// Leaf-wise growth of one regression tree on binned rows: best gain first, smaller child built, larger subtracted.
import type { GrowContext, LeafWork, TreeBuild } from './grow-context.js';
import { buildHist } from './histogram.js';
import { findSplit } from './split.js';

// Typed arrays are read with `as number` here for the reason given in histogram.ts.

export function growTree(ctx: GrowContext): TreeBuild & { leaves: LeafWork[] } {
  const { b, g, v, idx, scratch, params, pool } = ctx;
  const takeHist = (): Float64Array => pool.pop() ?? new Float64Array(ctx.slots);

  const tree: TreeBuild = { feature: [-1], binThreshold: [0], left: [-1], right: [-1], value: [0] };
  let sumG = 0;
  let sumV = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k] as number;
    sumG += g[i] as number;
    sumV += v[i] as number;
  }
  const minRows = 2 * Math.max(1, params.minSamplesLeaf);
  const canSplit = (w: LeafWork) =>
    w.end - w.start >= minRows && !(params.maxDepth > 0 && w.depth >= params.maxDepth);
  const root: LeafWork = {
    node: 0,
    start: 0,
    end: idx.length,
    depth: 0,
    sumG,
    sumV,
    hist: null,
    splitFeature: -1,
    splitBin: 0,
    gain: 0,
  };
  if (canSplit(root)) {
    root.hist = takeHist();
    buildHist(ctx, root.hist, 0, idx.length);
    findSplit(ctx, root);
  }
  const leaves: LeafWork[] = [root];
  const maxLeaves = Math.max(2, params.maxLeafNodes);
  while (leaves.length < maxLeaves) {
    let pick = -1;
    for (let k = 0; k < leaves.length; k++) {
      const lk = leaves[k];
      if (lk && lk.splitFeature >= 0 && lk.gain > (leaves[pick]?.gain ?? 0)) {
        pick = k;
      }
    }
    const leaf = leaves[pick];
    if (!leaf?.hist) {
      break;
    }
    // Stable partition of the leaf's rows: bin <= split bin to the left.
    const off = leaf.splitFeature * b.n;
    const bins = b.bins;
    const splitBin = leaf.splitBin;
    let nl = 0;
    let nr = 0;
    let gl = 0;
    let vl = 0;
    for (let k = leaf.start; k < leaf.end; k++) {
      const i = idx[k] as number;
      if ((bins[off + i] as number) <= splitBin) {
        idx[leaf.start + nl++] = i;
        gl += g[i] as number;
        vl += v[i] as number;
      } else {
        scratch[nr++] = i;
      }
    }
    idx.set(scratch.subarray(0, nr), leaf.start + nl);
    const leftNode = tree.feature.length;
    const rightNode = leftNode + 1;
    tree.feature[leaf.node] = leaf.splitFeature;
    tree.binThreshold[leaf.node] = leaf.splitBin;
    tree.left[leaf.node] = leftNode;
    tree.right[leaf.node] = rightNode;
    for (const node of [leftNode, rightNode]) {
      tree.feature[node] = -1;
      tree.binThreshold[node] = 0;
      tree.left[node] = -1;
      tree.right[node] = -1;
      tree.value[node] = 0;
    }
    const left: LeafWork = {
      node: leftNode,
      start: leaf.start,
      end: leaf.start + nl,
      depth: leaf.depth + 1,
      sumG: gl,
      sumV: vl,
      hist: null,
      splitFeature: -1,
      splitBin: 0,
      gain: 0,
    };
    const right: LeafWork = {
      ...left,
      node: rightNode,
      start: leaf.start + nl,
      end: leaf.end,
      sumG: leaf.sumG - gl,
      sumV: leaf.sumV - vl,
    };
    const parentHist = leaf.hist;
    leaf.hist = null;
    leaves.splice(pick, 1, left, right);
    if (leaves.length >= maxLeaves) {
      // The tree is full: its last two leaves are never split, so they need no histogram.
      pool.push(parentHist);
      break;
    }
    // Histogram subtraction: build the smaller child, derive the larger from the parent in place.
    // A child that cannot split needs no histogram at all.
    const [small, large] = nl <= nr ? [left, right] : [right, left];
    const splitLarge = canSplit(large);
    const smallRows = small.end - small.start;
    const largeRows = large.end - large.start;
    // The larger child comes from subtraction (the smaller child's histogram plus one pass over the
    // bins) unless histogramming its own rows is cheaper.
    const subtract = splitLarge && smallRows * b.p + ctx.slots < largeRows * b.p;
    if (canSplit(small) || subtract) {
      const sh = takeHist();
      buildHist(ctx, sh, small.start, small.end);
      small.hist = sh;
    }
    if (splitLarge) {
      large.hist = parentHist;
      if (subtract && small.hist) {
        findSplit(ctx, large, small.hist);
      } else {
        buildHist(ctx, parentHist, large.start, large.end);
        findSplit(ctx, large);
      }
      if (large.splitFeature < 0) {
        pool.push(parentHist);
        large.hist = null;
      }
    } else {
      pool.push(parentHist);
    }
    if (small.hist) {
      if (canSplit(small)) {
        findSplit(ctx, small);
      }
      if (small.splitFeature < 0) {
        pool.push(small.hist);
        small.hist = null;
      }
    }
  }
  for (const leaf of leaves) {
    if (leaf.hist) {
      pool.push(leaf.hist);
      leaf.hist = null;
    }
    const count = leaf.end - leaf.start;
    tree.value[leaf.node] = (-params.learningRate * leaf.sumG) / (count + params.l2Regularization);
  }
  return { ...tree, leaves };
}
