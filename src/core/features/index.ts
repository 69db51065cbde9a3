// Public surface of core/features.
export * from './dataset.js';
export * from './feature-set.js';
export * from './rolling.js';
