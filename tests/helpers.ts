// Shared test helpers: one embedded database per test file, emptied between tests (PGlite starts in seconds, truncation in ms).
import { openPglite, migrate, type SqlClient } from '../src/stores/sql/index.js';

let shared: Promise<SqlClient> | null = null;

export async function freshDb(): Promise<SqlClient> {
  shared ??= openPglite('memory://').then(async (db) => {
    await migrate(db);
    return db;
  });
  const db = await shared;
  await db.exec(
    `truncate bars, quarantine, run_params, run_metrics, run_tags, runs, experiments,
       model_aliases, model_versions, registered_models, alias_events restart identity cascade`,
  );
  return db;
}
