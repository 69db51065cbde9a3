// Adapter selection by URL scheme, in one place: the only code that knows which adapters exist.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  ConfigError,
  type AliasLog,
  type ArtifactStore,
  type PriceStore,
  type Registry,
  type Tracker,
} from '../core/index.js';
import { FileArtifactStore } from './artifacts/index.js';
import { DbLock } from './sql/db-lock.js';
import {
  migrate,
  openPglite,
  SqlAliasLog,
  SqlPriceStore,
  SqlRegistry,
  SqlTracker,
  type SqlClient,
} from './sql/index.js';

export { bundledSample, SAMPLE_SYMBOL, samplePath } from './sample/index.js';
export { DbLock, readLock, type LockInfo } from './sql/db-lock.js';
export type { SqlClient } from './sql/index.js';

export interface Stores {
  db: SqlClient;
  prices: PriceStore;
  tracker: Tracker;
  registry: Registry;
  aliasLog: AliasLog;
  artifacts: ArtifactStore;
  /** Publishes the server URL in the embedded database's lock, so CLI commands route through it. */
  advertise(url: string): void;
  close(): Promise<void>;
}

export interface OpenStoresOptions {
  databaseUrl: string;
  artifactsUrl: string;
  /** Who opens an embedded database, for its single-process lock. @defaultValue 'cli' */
  role?: 'server' | 'cli';
}

type DbOpener = (
  rest: string,
  role: 'server' | 'cli',
) => Promise<{ db: SqlClient; lock: DbLock | null }>;

const DATABASE_SCHEMES: Readonly<Record<string, DbOpener>> = {
  pglite: async (rest, role) => {
    if (rest === 'memory' || rest === '') {
      return { db: await openPglite('memory://'), lock: null };
    }
    const dir = resolve(rest);
    mkdirSync(dirname(dir), { recursive: true });
    const lock = DbLock.acquire(`${dir}.lock`, role);
    try {
      return { db: await openPglite(dir), lock };
    } catch (e) {
      lock.release();
      throw e;
    }
  },
};

const ARTIFACT_SCHEMES: Readonly<Record<string, (rest: string) => ArtifactStore>> = {
  file: (rest) => new FileArtifactStore(rest),
};

/** Splits `scheme://rest`; unknown schemes fail with the list of known ones. */
function pick<T>(kind: string, url: string, table: Readonly<Record<string, T>>): [T, string] {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url);
  const scheme = m?.[1]?.toLowerCase() ?? '';
  const entry = table[scheme];
  if (!m || entry === undefined) {
    throw new ConfigError(
      `${kind} "${url}" has ${m ? `unknown scheme "${scheme}"` : 'no scheme'}; known schemes: ${Object.keys(
        table,
      )
        .map((s) => `${s}://`)
        .join(', ')}`,
    );
  }
  return [entry, m[2] ?? ''];
}

/** Checks both URLs without opening anything, so a typo stops start-up before any work. */
export function checkStoreUrls(options: OpenStoresOptions): void {
  pick('DATABASE_URL', options.databaseUrl, DATABASE_SCHEMES);
  pick('ARTIFACTS_URL', options.artifactsUrl, ARTIFACT_SCHEMES);
}

export function isEmbeddedDatabase(databaseUrl: string): boolean {
  return /^pglite:\/\//i.test(databaseUrl) && !/^pglite:\/\/(memory)?$/i.test(databaseUrl);
}

export async function openStores(options: OpenStoresOptions): Promise<Stores> {
  const [openDb, dbRest] = pick('DATABASE_URL', options.databaseUrl, DATABASE_SCHEMES);
  const [openArtifacts, artRest] = pick('ARTIFACTS_URL', options.artifactsUrl, ARTIFACT_SCHEMES);
  const artifacts = openArtifacts(artRest);
  const { db, lock } = await openDb(dbRest, options.role ?? 'cli');
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    lock?.release();
    throw e;
  }
  return {
    db,
    prices: new SqlPriceStore(db),
    tracker: new SqlTracker(db, artifacts),
    registry: new SqlRegistry(db),
    aliasLog: new SqlAliasLog(db),
    artifacts,
    advertise: (url) => lock?.advertise(url),
    close: async () => {
      await db.close();
      lock?.release();
    },
  };
}

/** The lock file path of an embedded database URL, or null for servers and memory. */
export function lockPathOf(databaseUrl: string): string | null {
  if (!isEmbeddedDatabase(databaseUrl)) {
    return null;
  }
  return `${resolve(databaseUrl.replace(/^pglite:\/\//i, ''))}.lock`;
}
