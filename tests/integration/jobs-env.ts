// Where the real Redis (and PostgreSQL) of the job-queue stack tests are; a missing one fails naming its start script.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ensureBuilt } from '../../scripts/ensure-built.mjs';
import { importCsv } from '../../src/services/index.js';
import { bundledSample, openStores } from '../../src/stores/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'stockops.js');

export function redisUrl(): string {
  const url = process.env.REDIS_URL;
  if (url === undefined || url === '') {
    throw new Error(
      'REDIS_URL not set: start Redis with scripts/services/redis.sh and export what it prints (npm run test:stack does both)',
    );
  }
  return url;
}

/** Fails with the start script's name when Redis does not answer. */
export async function requireRedis(): Promise<string> {
  const url = redisUrl();
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new Error(
      `Redis at ${url} does not answer (${e instanceof Error ? e.message : String(e)}): start it with scripts/services/redis.sh`,
    );
  } finally {
    client.disconnect();
  }
  return url;
}

/** A key prefix of its own per test, so runs never see each other's jobs on a shared Redis. */
export const testPrefix = (): string => `stockops-test-${randomUUID().slice(0, 8)}`;

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url === undefined || !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(
      'DATABASE_URL (postgres://...) not set: start PostgreSQL with scripts/services/postgres.sh and export what it prints (npm run test:stack does both)',
    );
  }
  return url;
}

/** A database of its own on the shared test cluster, so API and workers share it and nobody else does. */
export async function freshDatabase(name: string): Promise<string> {
  const url = databaseUrl();
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL at ${url} does not answer (${e instanceof Error ? e.message : String(e)}): start it with scripts/services/postgres.sh`,
    );
  }
  try {
    await client.query(`drop database if exists ${name}`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Settings for a stack of real `stockops` processes on the running Redis and a fresh PostgreSQL database
 * named `name`, with their own home and artifacts and the bundled S&P 500 already imported; `extra` adds
 * to them. Builds dist/ first, which the processes run.
 */
export async function stackEnv(
  name: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const redis = await requireRedis();
  const database = await freshDatabase(name);
  const home = mkdtempSync(join(tmpdir(), `${name}-`));
  const env = {
    REDIS_URL: redis,
    DATABASE_URL: database,
    ARTIFACTS_URL: `file://${join(home, 'artifacts')}`,
    STOCKOPS_HOME: home,
    STOCKOPS_QUEUE_PREFIX: testPrefix(),
    STOCKOPS_BOOTSTRAP: 'false',
    ...extra,
  };
  ensureBuilt({ quiet: true });
  const stores = await openStores({
    databaseUrl: env.DATABASE_URL,
    artifactsUrl: env.ARTIFACTS_URL,
  });
  try {
    await importCsv(stores, {
      ticker: bundledSample.symbol,
      body: await bundledSample.read(),
      source: bundledSample.source,
    });
  } finally {
    await stores.close();
  }
  return env;
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** SIGTERM, then SIGKILL after 15 s; resolves when it has exited. */
  stop(): Promise<void>;
}

/** Starts `stockops <args>` and resolves once its stdout matches `ready`. */
export function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 120_000,
): Promise<Proc & { match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stockops ${args.join(' ')} not ready within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const proc: Proc = {
      child,
      pid: child.pid ?? -1,
      output: () => out,
      stop: () =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            done();
            return;
          }
          const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(kill);
            done();
          });
          child.kill('SIGTERM');
        }),
    };
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ ...proc, match: m });
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`stockops ${args.join(' ')} exited (${String(code ?? signal)}):\n${out}`));
    });
  });
}

export async function api<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  }
  return JSON.parse(text) as T;
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | null>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) {
      return v;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
