// Public surface of the SQL adapters.
export type { SqlClient, SqlValue } from './client.js';
export { migrate, MIGRATIONS } from './migrations.js';
export { openPglite } from './pglite.js';
export { SqlPriceStore } from './price-store.js';
export { SqlAliasLog, SqlRegistry } from './registry.js';
export { SqlTracker } from './tracker.js';
