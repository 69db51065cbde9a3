// Public surface of core/data: bars, series, symbols, horizons and model names, dates, the strict CSV reader, cleaning and quality checks.
export * from './bar.js';
export * from './clean.js';
export * from './csv.js';
export * from './dates.js';
export * from './horizon.js';
export * from './market.js';
export * from './model-name.js';
export * from './quality.js';
export * from './reconcile.js';
export * from './symbol.js';
export * from './validate.js';
