// Public surface of src/pipelines: orchestration of core logic over the ports.
export * from './bootstrap.js';
export * from './deps.js';
export * from './import-csv.js';
export * from './predict.js';
export * from './train.js';
