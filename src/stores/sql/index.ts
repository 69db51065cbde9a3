// Public surface of the SQL adapters.
export type { SqlClient, SqlValue } from './client.js';
export { SqlFlowStore } from './flow-store.js';
export { ThreadLeaseKeeper } from './lease-keeper.js';
export { SqlEtlRunLog } from './etl-runs.js';
export { SqlForecastLog } from './forecast-log.js';
export { migrate, MIGRATIONS, truncateAll } from './migrations.js';
export { openPglite } from './pglite.js';
export { openPostgres } from './postgres.js';
export { SqlPriceStore } from './price-store.js';
export { SqlRecipeStore } from './recipe-store.js';
export { SqlAliasLog, SqlRegistry } from './model-registry.js';
export { SqlTracker } from './tracker.js';
