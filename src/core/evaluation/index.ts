// Public surface of core/evaluation.
export * from './conformal.js';
export * from './evaluate.js';
export * from './metrics.js';
export * from './stats.js';
export * from './walk-forward.js';
