// Public surface of core/data: bars, series, symbols, dates and the strict CSV reader.
export * from './bar.js';
export * from './csv.js';
export * from './dates.js';
export * from './reconcile.js';
export * from './symbol.js';
