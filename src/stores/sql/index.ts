// Public surface of the SQL adapters.
export { SqlAlertStore, SqlQuarantineCounts } from './alert-store.js';
export type { SqlClient, SqlValue } from './client.js';
export { SqlFlowStore } from './flow-store.js';
export { ThreadLeaseKeeper } from './lease-keeper.js';
export { SqlEtlRunLog } from './etl-runs.js';
export { SqlForecastLog } from './forecast-log.js';
export { migrate, MIGRATIONS, truncateAll } from './migrations.js';
export { SqlModelLocks } from './model-locks.js';
export { SqlMonitoringReportStore } from './monitoring-store.js';
export { openPglite } from './pglite.js';
export { openPostgres } from './postgres.js';
export { SqlPriceStore } from './price-store.js';
export { SqlRealisedAccuracyStore } from './realised-store.js';
export { SqlRecipeStore } from './recipe-store.js';
export { SqlAliasLog, SqlRegistry } from './model-registry.js';
export {
  SqlApprovalStore,
  SqlRetrainDecisionStore,
  SqlRetrainPolicyStore,
} from './retrain-store.js';
export { SqlTracker } from './tracker.js';
