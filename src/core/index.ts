// Public surface of the pure domain core.
export * from './calendar/index.js';
export * from './data/index.js';
export * from './errors/index.js';
export * from './evaluation/index.js';
export * from './events/index.js';
export * from './features/index.js';
export * from './models/index.js';
export * from './monitoring/index.js';
export * from './ports/index.js';
