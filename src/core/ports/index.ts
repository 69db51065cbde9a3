// Ports: what the pure core and the application services need from the outside world. Adapters live in src/stores.
export type * from './alias-log.js';
// alert-store.ts also holds a value (ALERT_STATES), so it is re-exported whole.
export * from './alert-store.js';
export type * from './artifact-store.js';
export type * from './data.js';
export type * from './event-bus.js';
// flows.ts also holds a value (FLOW_RUN_STATES), so it is re-exported whole.
export * from './flows.js';
export type * from './forecast-log.js';
export type * from './invalidation-bus.js';
export type * from './job-queue.js';
export type * from './model-locks.js';
export type * from './model-registry.js';
export type * from './monitoring-reports.js';
export type * from './quarantine-counts.js';
export type * from './realised-accuracy.js';
export type * from './recipe-store.js';
// retrain-decisions.ts also holds a value (APPROVAL_STATES), so it is re-exported whole.
export * from './retrain-decisions.js';
export type * from './tracker.js';
