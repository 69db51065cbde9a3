// Split search: the best (feature, bin) of a leaf from its histogram, with histogram subtraction fused in.
import type { GrowContext, LeafWork } from './grow-context.js';

// Typed arrays are read with `as number` here for the reason given in histogram.ts (every index is in
// range by construction, and the plain read is about twice as fast in these loops).

/**
 * 1 / (count + l2) for every possible row count: the split scan evaluates two of these per candidate
 * bin (tens of thousands per leaf), and a table read is several times cheaper than a division.
 */
export function reciprocals(n: number, l2: number): Float64Array {
  const inv = new Float64Array(n + 1);
  for (let c = 0; c <= n; c++) {
    inv[c] = c + l2 > 0 ? 1 / (c + l2) : 0;
  }
  return inv;
}

/**
 * Best split of a leaf from its histogram: largest gain, first feature and bin on ties. Gains are in
 * quantised units (a positive factor per tree away from gradient units), which orders them alike.
 * With `sub`, the leaf's histogram is its parent's, and becomes its own (parent - sub) in the same
 * pass that scans it: one read of both arrays instead of a subtraction pass and then a scan.
 */
export function findSplit(ctx: GrowContext, leaf: LeafWork, sub: Float64Array | null = null): void {
  const hist = leaf.hist;
  leaf.gain = 0;
  leaf.splitFeature = -1;
  if (!hist) {
    return;
  }
  const { params, inv, nBins, hOff } = ctx;
  const { unit, invUnit } = ctx.packing;
  const p = ctx.b.p;
  const count = leaf.end - leaf.start;
  const minLeaf = Math.max(1, params.minSamplesLeaf);
  if (count < 2 * minLeaf || (params.maxDepth > 0 && leaf.depth >= params.maxDepth)) {
    if (sub) {
      for (let k = 0; k < ctx.slots; k++) {
        hist[k] = (hist[k] as number) - (sub[k] as number);
      }
    }
    return;
  }
  const sumQ = leaf.sumV - count * unit;
  const parent = sumQ * sumQ * (inv[count] as number);
  let bestGain = 0;
  let bestFeature = -1;
  let bestBin = 0;
  for (let f = 0; f < p; f++) {
    const h = hOff[f] as number;
    const end = h + (nBins[f] as number);
    const last = end - 1;
    let vl = 0;
    let k = h;
    // Empty bins are scanned like the others: they repeat the previous candidate's gain, which the
    // strict comparison never prefers, and skipping them cost more in mispredicted branches (deep
    // leaves have bins empty at random) than it saved.
    for (; k < last; k++) {
      let x = hist[k] as number;
      if (sub) {
        x -= sub[k] as number;
        hist[k] = x;
      }
      vl += x;
      // Truncation is floor here: every packed sum is positive and its count is far below 2^31.
      const cl = (vl * invUnit + 0.5) | 0;
      if (cl < minLeaf) {
        continue;
      }
      const cr = count - cl;
      if (cr < minLeaf) {
        k++;
        break;
      }
      const ql = vl - cl * unit;
      const qr = sumQ - ql;
      const gain = ql * ql * (inv[cl] as number) + qr * qr * (inv[cr] as number) - parent;
      if (gain > bestGain) {
        bestGain = gain;
        bestFeature = f;
        bestBin = k - h;
      }
    }
    if (sub) {
      for (; k < end; k++) {
        hist[k] = (hist[k] as number) - (sub[k] as number);
      }
    }
  }
  leaf.gain = bestGain;
  leaf.splitFeature = bestFeature;
  leaf.splitBin = bestBin;
}
