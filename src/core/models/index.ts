// Public surface of core/models: the model contract, the built-in models and JSON (de)serialisation.
export * from './model.js';
export { createModel, modelFromJSON, type ModelOptions } from './model-factory.js';
export { mulberry32 } from './rng.js';
export { DriftModel } from './drift.js';
export { DEFAULT_ENSEMBLE_MEMBERS, EnsembleModel } from './ensemble.js';
export type { EnsembleOptions, MemberKind } from './ensemble.js';
export {
  binThresholds,
  boost,
  DEFAULT_BOOSTING,
  HistogramGbdtModel,
  predictForest,
} from './gbdt/index.js';
export type { BoostingParams, BoostResult, Forest, GbdtOptions } from './gbdt/index.js';
export { NaiveModel } from './naive.js';
export { RidgeModel, type RidgeOptions } from './ridge.js';
// linalg.ts, rng.ts and validation.ts are private helpers of the models.
