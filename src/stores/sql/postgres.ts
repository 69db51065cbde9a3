// PostgreSQL server adapter (`pg` pool): the stack-mode SQL store, shared by any number of processes.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { SqlClient, SqlValue } from './client.js';

const DATE_OID = 1082;

/** Dates stay 'YYYY-MM-DD' text instead of becoming Date objects at local midnight (as PGlite returns them too). */
const types = new pg.TypeOverrides();
types.setTypeParser(DATE_OID, 'text', (v: string) => v);

function wrap(q: pg.Pool | pg.PoolClient, pool: pg.Pool | null): SqlClient {
  return {
    engine: 'postgres',
    async query<T extends object>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
      const res = await q.query<T>(sql, params as unknown[]);
      return res.rows;
    },
    async copyFrom(table: string, columns: readonly string[], data: Uint8Array): Promise<number> {
      // COPY holds its connection until the server acknowledges the data, so a pool lends one for the duration.
      const client = q instanceof pg.Pool ? await q.connect() : q;
      let failed = false;
      try {
        const copy = client.query(
          copyFromStdin(`copy ${table} (${columns.join(', ')}) from stdin with (format binary)`),
        );
        await pipeline(
          Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]),
          copy,
        );
        return copy.rowCount;
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        if (client !== q) {
          // A connection whose COPY failed midway is dropped rather than lent again.
          client.release(failed);
        }
      }
    },
    async exec(sql: string): Promise<void> {
      // Without parameters pg uses the simple query protocol, which runs a script of several statements.
      await q.query(sql);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      if (!pool) {
        // Already inside a transaction on this connection: join it, as the PGlite adapter does.
        return fn(wrap(q, null));
      }
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(wrap(client, null));
        await client.query('commit');
        return result;
      } catch (e) {
        await client.query('rollback').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async close(): Promise<void> {
      if (pool) {
        await pool.end();
      }
    },
  };
}

export interface PostgresOptions {
  /** Connections in the pool. @defaultValue 10 */
  max?: number;
}

/** Opens a pool on `postgres://user:password@host:port/database` and checks that the server answers. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<SqlClient> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its server must not crash the process; the next query reports the error instead.
  pool.on('error', () => undefined);
  try {
    await pool.query('select 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return wrap(pool, pool);
}
