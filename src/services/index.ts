// Public surface of src/services: the application services (ETL, import, train, evaluate, promote, predict, forecast, monitor, retrain policy, alerts) and the flows built from them.
export * from './alerts.js';
export * from './bootstrap.js';
export * from './deps.js';
export * from './etl.js';
export * from './etl-clean.js';
export * from './etl-snapshot.js';
export * from './evaluate.js';
export * from './fit-pool.js';
// fit-worker.ts is private: the body of FitPool's threads, loaded by file from dist/.
export * from './flow-definitions.js';
export * from './flow-requests.js';
export * from './forecast.js';
export * from './history.js';
export * from './import-csv.js';
export * from './model-fit.js';
export * from './monitor.js';
export * from './monitor-flow.js';
export * from './monitoring-reference.js';
export * from './predict.js';
export * from './promote.js';
export * from './promotion-lock.js';
export * from './registry-audit.js';
export * from './retrain-policy.js';
export * from './registry-views.js';
export * from './serving-cache.js';
export * from './train.js';
