// `npm run bench:etl`: bars/s for loading raw bars into PGlite and PostgreSQL and for the clean step; rewrites its table in README.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cleanSeries, type Bar, type CorporateAction } from '../src/core/index.js';
import { randomWalkBars } from '../src/core/testing/index.js';
import { refreshClean } from '../src/services/etl-clean.js';
import {
  migrate,
  openPglite,
  openPostgres,
  SqlPriceStore,
  type SqlClient,
} from '../src/stores/sql/index.js';
import { writeBetweenMarkers } from './support.js';

interface EtlBenchConfig {
  tickers: number;
  barsPerTicker: number;
  seed: number;
  splitsPerTicker: number;
  dividendsPerTicker: number;
  postgresConcurrency: number;
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BENCH = join(ROOT, 'bench');
const config = JSON.parse(readFileSync(join(BENCH, 'etl.config.json'), 'utf8')) as EtlBenchConfig;

interface Ticker {
  symbol: string;
  bars: Bar[];
  actions: CorporateAction[];
}

/** Seeded random walks; each ticker gets splits and dividends spread over its history, so cleaning has work to do. */
function universe(): Ticker[] {
  return Array.from({ length: config.tickers }, (_, t) => {
    const bars = randomWalkBars(config.barsPerTicker, config.seed + t, '2000-01-03');
    const at = (k: number, n: number) =>
      bars[Math.floor(((k + 1) * bars.length) / (n + 1))]?.date ?? '';
    const actions: CorporateAction[] = [
      ...Array.from({ length: config.splitsPerTicker }, (_, k) => ({
        kind: 'split' as const,
        date: at(k, config.splitsPerTicker),
        numerator: 2,
        denominator: 1,
      })),
      ...Array.from({ length: config.dividendsPerTicker }, (_, k) => ({
        kind: 'dividend' as const,
        date: at(k, config.dividendsPerTicker),
        amount: 0.25,
      })),
    ];
    return { symbol: `B${String(t).padStart(3, '0')}`, bars, actions };
  });
}

const total = config.tickers * config.barsPerTicker;
const rate = (seconds: number) => Math.round(total / seconds);

async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (x: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let i = next++; i < items.length; i = next++) {
        await fn(items[i] as T);
      }
    }),
  );
}

interface Phase {
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds of this process: for PGlite (in-process) that is all the work, so it does not depend on what else the machine runs. */
  cpuSeconds: number;
}

interface EngineResult {
  engine: string;
  version: string;
  load: Phase;
  rerun: Phase;
  clean: Phase;
}

async function timed(fn: () => Promise<void>): Promise<Phase> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Loads every ticker's raw bars, loads them again (the idempotent re-run), then cleans every ticker. */
async function measure(
  engine: string,
  db: SqlClient,
  concurrency: number,
  data: Ticker[],
): Promise<EngineResult> {
  const store = new SqlPriceStore(db);
  const version =
    (await db.query<{ v: string }>('select version() as v'))[0]?.v
      .split(' ')
      .slice(0, 2)
      .join(' ') ?? '?';
  const fetchedAt = '2020-01-01T00:00:00.000Z';
  for (const t of data) {
    await store.upsertActions(t.symbol, t.actions, 'bench', fetchedAt);
  }
  const load = await timed(() =>
    mapLimit(data, concurrency, async (t) => {
      const c = await store.upsertRawBars(t.symbol, t.bars, 'bench', fetchedAt);
      if (c.inserted !== t.bars.length) {
        throw new Error(`${t.symbol}: inserted ${c.inserted} of ${t.bars.length}`);
      }
    }),
  );
  const rerun = await timed(() =>
    mapLimit(data, concurrency, async (t) => {
      const c = await store.upsertRawBars(t.symbol, t.bars, 'bench', fetchedAt);
      if (c.unchanged !== t.bars.length) {
        throw new Error(`${t.symbol}: re-run changed rows`);
      }
    }),
  );
  const clean = await timed(() =>
    mapLimit(data, concurrency, async (t) => {
      await refreshClean({ prices: store }, t.symbol);
    }),
  );
  return { engine, version, load, rerun, clean };
}

async function withPostgres<T>(fn: (db: SqlClient) => Promise<T>): Promise<T | null> {
  const admin =
    process.env.STACK_DATABASE_URL ??
    (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined);
  if (!admin) {
    console.error(
      'bench: no PostgreSQL: start one with scripts/services/postgres.sh and set STACK_DATABASE_URL (skipping it)',
    );
    return null;
  }
  const name = `stockops_bench_${process.pid}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString(), { max: config.postgresConcurrency + 1 });
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
    const d = new pg.Client({ connectionString: admin });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  }
}

async function main(): Promise<void> {
  const data = universe();
  console.error(`bench: ${config.tickers} tickers x ${config.barsPerTicker} bars = ${total} bars`);

  // The clean step's pure part, in memory: derive every series from raw bars and actions.
  const raw = data.map((t) => ({
    t,
    raw: t.bars.map((b) => ({ ...b, source: 'bench', fetchedAt: '2000-01-01T00:00:00.000Z' })),
    actions: t.actions.map((a) => ({ ...a, fetchedAt: '2000-01-01T00:00:00.000Z' })),
  }));
  const derive = await timed(() => {
    for (const r of raw) {
      cleanSeries(r.raw, r.actions);
    }
    return Promise.resolve();
  });

  const home = mkdtempSync(join(tmpdir(), 'stockops-bench-etl-'));
  const results: EngineResult[] = [];
  try {
    const lite = await openPglite(join(home, 'db'));
    await migrate(lite);
    results.push(await measure('PGlite', lite, 1, data));
    await lite.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  const pgResult = await withPostgres((db) =>
    measure('PostgreSQL', db, config.postgresConcurrency, data),
  );
  if (pgResult) {
    results.push(pgResult);
  }

  const k = (n: number) => `${(n / 1000).toFixed(0)}k`;
  // Per CPU second only where this process does all the work: PGlite and the in-memory derive.
  const row = (step: string, engine: string, p: Phase, inProcess: boolean) =>
    `| ${step} | ${engine} | ${k(rate(p.seconds))} | ${inProcess ? k(rate(p.cpuSeconds)) : '-'} | ${p.seconds.toFixed(2)} s |`;
  const rows = [
    row('clean step, derive only (in memory)', '-', derive, true),
    ...results.flatMap((r) => {
      const inProcess = r.engine === 'PGlite';
      return [
        row('load raw bars (upsert, new rows)', `${r.engine} (${r.version})`, r.load, inProcess),
        row('load raw bars again (idempotent re-run)', r.engine, r.rerun, inProcess),
        row('clean step (read raw + actions, derive, write)', r.engine, r.clean, inProcess),
      ];
    }),
  ];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).stdout.trim();
  const table = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${availableParallelism()} x ${cpu}, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(
        ' ',
      )}, Node ${process.version}, commit ${git || '?'}; ${config.tickers} tickers x ${config.barsPerTicker} bars = ${total} bars` +
      ` (PostgreSQL with ${config.postgresConcurrency} connections, one ticker per statement batch).`,
    '',
    '| step | engine | bars/s (wall clock) | bars per CPU-second | time |',
    '|---|---|---:|---:|---:|',
    ...rows,
  ].join('\n');
  console.log(table);
  if (!writeBetweenMarkers(join(BENCH, 'README.md'), 'bench:etl', table)) {
    throw new Error(
      'bench/README.md has no <!-- bench:etl:start --> ... <!-- bench:etl:end --> block',
    );
  }
}

await main();
