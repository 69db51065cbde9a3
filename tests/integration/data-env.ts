// Where the real PostgreSQL and ClickHouse of the data tests are; each test file gets a throwaway database of its own.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openPostgres, truncateAll, type SqlClient } from '../../src/stores/sql/index.js';

const missing = (what: string, variable: string, script: string) =>
  new Error(
    `${what} is not running: start it with ${script} and export ${variable}=<the URL it prints> (npm run test:stack does both)`,
  );

/** A database name nobody else uses: test files run side by side on one server. */
const uniqueName = () => `stockops_t_${randomBytes(5).toString('hex')}`;

export function postgresAdminUrl(): string {
  const url = process.env.STACK_DATABASE_URL;
  if (!url) {
    throw missing('PostgreSQL', 'STACK_DATABASE_URL', 'scripts/services/postgres.sh');
  }
  return url;
}

/** Creates a fresh database on the test cluster and returns its URL; fails naming the start script when it is down. */
export async function createPostgresDatabase(): Promise<{
  url: string;
  drop: () => Promise<void>;
}> {
  const admin = postgresAdminUrl();
  const name = uniqueName();
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    // A generated identifier (letters, digits, underscore): CREATE DATABASE takes no parameters.
    await client.query(`create database ${name}`);
  } catch (e) {
    throw new Error(
      `PostgreSQL at ${admin} does not answer (${e instanceof Error ? e.message : String(e)}): start it with scripts/services/postgres.sh`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** One migrated PostgreSQL client per test file, emptied before each test (the PGlite helper's twin). */
export function postgresFixture(): { db: () => Promise<SqlClient>; close: () => Promise<void> } {
  let opened: Promise<{ client: SqlClient; drop: () => Promise<void> }> | null = null;
  return {
    async db() {
      opened ??= createPostgresDatabase().then(async ({ url, drop }) => {
        const client = await openPostgres(url);
        await migrate(client);
        return { client, drop };
      });
      const { client } = await opened;
      await truncateAll(client);
      return client;
    },
    async close() {
      if (opened) {
        const { client, drop } = await opened;
        await client.close();
        await drop();
      }
    },
  };
}

export function clickhouseBaseUrl(): string {
  const url = process.env.STACK_CLICKHOUSE_URL;
  if (!url) {
    throw missing('ClickHouse', 'STACK_CLICKHOUSE_URL', 'scripts/services/clickhouse.sh');
  }
  return url;
}

/** A CLICKHOUSE_URL naming a database of this test file's own; fails naming the start script when ClickHouse is down. */
export async function clickhouseTestUrl(): Promise<string> {
  const base = clickhouseBaseUrl().replace(/\/+$/, '');
  // A fresh connection each time, and a few tries: a kept-alive socket the server is just closing is not an outage.
  let last: unknown = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const res = await fetch(`${base}/ping`, {
        headers: { connection: 'close' },
        signal: AbortSignal.timeout(5000),
      });
      if (res.ok) {
        last = null;
        break;
      }
      last = new Error(`HTTP ${res.status}`);
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  if (last !== null) {
    const cause =
      last instanceof Error && last.cause instanceof Error ? ` (${last.cause.message})` : '';
    const why = last instanceof Error ? `${last.message}${cause}` : 'no answer';
    throw new Error(
      `ClickHouse at ${base} does not answer (${why}): start it with scripts/services/clickhouse.sh`,
    );
  }
  return `${base}/${uniqueName()}`;
}
