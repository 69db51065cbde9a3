// Working state of tree growth: the packed histogram encoding, a leaf being grown, a tree in bin space, the per-run context.
import type { Binned } from './binning.js';
import type { BoostingParams } from './boosting-params.js';

/**
 * Histograms hold one float64 per (feature, bin): `count * unit + q`, where q is the bin's sum of
 * gradients quantised to integers. Every partial sum is an integer below 2^53, so the packing is
 * exact, order-independent and decodes by rounding; one add per row and feature instead of two
 * (gradient and count), and one array to subtract and scan. The resolution is 2^-24 of the largest
 * gradient of the iteration for up to 3,000 rows (at most 2^-13 at 8 million), fine enough that
 * splits match the unquantised ones on real data; leaf values use the exact gradient sums.
 */
export interface Packing {
  /** 2^K: the weight of one row in a packed value. */
  unit: number;
  /** 1 / unit. */
  invUnit: number;
  /** Largest quantised gradient magnitude, 2^b. */
  qMax: number;
}

export interface LeafWork {
  node: number;
  start: number;
  end: number;
  depth: number;
  /** Exact gradient sum (for the leaf value). */
  sumG: number;
  /** Packed sum of the leaf's rows (for the split gains). */
  sumV: number;
  hist: Float64Array | null;
  splitFeature: number;
  splitBin: number;
  gain: number;
}

export interface TreeBuild {
  feature: number[];
  binThreshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

/** Everything one tree's growth reads, allocated once per boosting run. */
export interface GrowContext {
  b: Binned;
  nBins: Int32Array;
  /** Start of feature f's bins in a histogram. */
  hOff: Int32Array;
  slots: number;
  g: Float64Array;
  /** Packed per-row values of the iteration: unit + quantised gradient. */
  v: Float64Array;
  idx: Uint32Array;
  scratch: Uint32Array;
  vOrdered: Float64Array;
  packing: Packing;
  params: BoostingParams;
  inv: Float64Array;
  pool: Float64Array[];
  /** Three extra copies of one feature's bins for `buildHist` (zero between uses). */
  lanes: Float64Array;
}
