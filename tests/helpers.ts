// Shared test helpers: one embedded database per test file, emptied between tests (PGlite starts in seconds, truncation in ms).
import { migrate, openPglite, truncateAll, type SqlClient } from '../src/stores/sql/index.js';

let shared: Promise<SqlClient> | null = null;

export async function freshDb(): Promise<SqlClient> {
  shared ??= openPglite('memory://').then(async (db) => {
    await migrate(db);
    return db;
  });
  const db = await shared;
  await truncateAll(db);
  return db;
}
