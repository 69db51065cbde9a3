// Public surface of the histogram GBDT: the model, the boosting engine behind it and its forest.
export { binThresholds } from './binning.js';
export { boost, type BoostResult } from './boost.js';
export { DEFAULT_BOOSTING, type BoostingParams } from './boosting-params.js';
export { predictForest, type Forest } from './forest.js';
export { HistogramGbdtModel, type GbdtOptions } from './gbdt-model.js';
