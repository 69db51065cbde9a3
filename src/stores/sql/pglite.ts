// Embedded PostgreSQL (PGlite) adapter: the default store, one process per data folder.
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient, SqlValue } from './client.js';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

function wrap(db: Queryable, root: PGlite | null): SqlClient {
  return {
    engine: 'pglite',
    async query<T extends object>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
      const res = await db.query<T>(sql, params as unknown[]);
      return res.rows;
    },
    async copyFrom(table: string, columns: readonly string[], data: Uint8Array): Promise<number> {
      // PGlite's COPY reads the `blob` query option through the virtual file /dev/blob (it has no STDIN).
      const res = await db.query(
        `copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format binary)`,
        [],
        { blob: new Blob([data]) },
      );
      return res.affectedRows ?? 0;
    },
    async exec(sql: string): Promise<void> {
      await db.exec(sql);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      if (!root) {
        // Already inside a transaction: PGlite has no nested transactions, so join the outer one.
        return fn(wrap(db, null));
      }
      return root.transaction((tx) => fn(wrap(tx, null)));
    },
    async close(): Promise<void> {
      if (root) {
        await root.close();
      }
    },
  };
}

/** Opens PGlite on a folder (created if missing), or in memory for `memory://`. */
export async function openPglite(location: string): Promise<SqlClient> {
  if (location !== 'memory://') {
    mkdirSync(location, { recursive: true });
  }
  const db = location === 'memory://' ? new PGlite() : new PGlite(location);
  await db.waitReady;
  return wrap(db, db);
}
