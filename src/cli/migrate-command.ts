// `stockops migrate`: applies the SQL migrations and exits, the deploy step before replicas and workers start.
import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { migrateDatabase } from '../stores/index.js';
import type { Emit } from './flow-commands.js';

export function registerMigrateCommand(program: Command, emit: Emit): void {
  program
    .command('migrate')
    .description(
      'Apply the database migrations (DATABASE_URL) and exit; every start migrates too, under a database lock, so this is the explicit once-per-deploy step.',
    )
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig();
      await emit(
        opts,
        () => migrateDatabase(config.databaseUrl),
        (r) =>
          `${r.engine}: ${r.applied.length === 0 ? 'schema already current' : `applied migrations ${r.applied.join(', ')}`} (${r.current.length} in all)`,
      );
    });
}
