// The settings of one boosting run (BoostingParams) and the defaults every GBDT fit starts from.
import { objectAt, optionalFinite } from '../json-checks.js';

/** Hyperparameters of one boosting run; names follow scikit-learn's HistGradientBoostingRegressor. */
export interface BoostingParams {
  /**
   * Boosting iterations (trees); with early stopping, the most that will be grown.
   * @defaultValue 200
   */
  maxIter: number;
  /**
   * Shrinkage applied to every leaf value.
   * @defaultValue 0.05
   */
  learningRate: number;
  /**
   * Leaves per tree; trees grow leaf-wise (best gain first) until they have this many.
   * @defaultValue 31
   */
  maxLeafNodes: number;
  /**
   * Depth limit, or 0 for none (the leaf count is the limit).
   * @defaultValue 0
   */
  maxDepth: number;
  /**
   * Fewest training rows in a leaf.
   * @defaultValue 20
   */
  minSamplesLeaf: number;
  /**
   * L2 penalty on leaf values (lambda in the gain and leaf formulas).
   * @defaultValue 0
   */
  l2Regularization: number;
  /**
   * Quantile bins per feature (at most 255, so a bin fits a byte).
   * @defaultValue 255
   */
  maxBins: number;
  /**
   * Share of training rows drawn (without replacement, by the seed) for each tree.
   * @defaultValue 1
   */
  subsample: number;
  /**
   * Seed of the row subsampling; the same seed and data give the same trees.
   * @defaultValue 0
   */
  seed: number;
}

export const DEFAULT_BOOSTING: BoostingParams = {
  maxIter: 200,
  learningRate: 0.05,
  maxLeafNodes: 31,
  maxDepth: 0,
  minSamplesLeaf: 20,
  l2Regularization: 0,
  maxBins: 255,
  subsample: 1,
  seed: 0,
};

/**
 * Saved boosting settings: an object whose settings are numbers. A setting may be absent (files written
 * before it existed), since the defaults fill it in.
 */
export function checkBoostingParams(v: unknown, path: string): void {
  optionalFinite(objectAt(v, path), path, Object.keys(DEFAULT_BOOSTING));
}
