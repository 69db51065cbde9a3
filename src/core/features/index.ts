// Public surface of core/features.
export * from './alpha-set.js';
export * from './dataset.js';
export * from './feature-set.js';
export * from './imputer.js';
export * from './feature-sets.js';
export * from './rolling.js';
export * from './volatility.js';
