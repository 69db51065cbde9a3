// Real: PostgreSQL and ClickHouse (scripts/services/{postgres,clickhouse}.sh) and the `stockops` binary. The whole
// skeleton (import, train, predict, UI) with DATABASE_URL on PostgreSQL; with CLICKHOUSE_URL set, history is read
// from ClickHouse.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomWalkBars } from '../../src/core/testing/index.js';
import { ClickHouseSeriesStore } from '../../src/stores/clickhouse/index.js';
import { cli, ROOT, startServerProcess, type RunningServer } from '../cli/run.js';
import { clickhouseTestUrl, createPostgresDatabase } from './data-env.js';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'yahoo');
/**
 * The stack exports other services' variables (REDIS_URL would send flows to BullMQ workers nobody runs here,
 * MLFLOW_TRACKING_URI runs to MLflow): these processes use only what this test gives them.
 */
const ISOLATED = { REDIS_URL: '', MLFLOW_TRACKING_URI: '', CLICKHOUSE_URL: '', ARTIFACTS_URL: '' };
const csv = (n: number, seed: number) =>
  [
    'Date,Open,High,Low,Close,Adj Close,Volume',
    ...randomWalkBars(n, seed).map(
      (b) => `${b.date},${b.open},${b.high},${b.low},${b.close},${b.adjClose},${b.volume}`,
    ),
  ].join('\n');

/** A response with its JSON body, typed by the caller (the server's schemas are tested elsewhere). */
interface Reply<T> {
  status: number;
  json: T;
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: { json?: unknown; csv?: string },
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body?.json !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body.json) }
      : body?.csv !== undefined
        ? { headers: { 'content-type': 'text/csv' }, body: body.csv }
        : {}),
  });
  return { status: res.status, json: await res.json() };
}

async function waitJob(
  base: string,
  id: string,
): Promise<{ status: string; result?: unknown; error?: unknown }> {
  for (;;) {
    const { json } = (await call(base, 'GET', `/api/jobs/${id}`)) as Reply<{
      status: string;
      result?: unknown;
      error?: unknown;
    }>;
    if (json.status === 'completed' || json.status === 'failed') {
      return json;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const servers: RunningServer[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const c of cleanups) {
    await c();
  }
});

describe('stockops on PostgreSQL', () => {
  it('imports, trains and predicts through the API, serves the UI, and lets a CLI share the database', async () => {
    const pgdb = await createPostgresDatabase();
    cleanups.push(pgdb.drop);
    const env = {
      ...ISOLATED,
      STOCKOPS_HOME: mkdtempSync(join(tmpdir(), 'stockops-pg-home-')),
      DATABASE_URL: pgdb.url,
      STOCKOPS_BOOTSTRAP: 'false',
    };
    const server = await startServerProcess(env);
    servers.push(server);
    const base = server.url;
    const health = (await call(base, 'GET', '/api/health')) as Reply<{
      status: string;
      database: string;
    }>;
    expect(health.json).toMatchObject({ status: 'ok', database: 'postgres' });

    const imp = (await call(base, 'POST', '/api/import?ticker=PGX', {
      csv: `${csv(600, 7)}\n2015-01-01,1,0.5,0.9,1,1,1`,
    })) as Reply<{ imported: number; duplicates: number; quarantined: unknown[] }>;
    expect(imp.json).toMatchObject({ imported: 600, duplicates: 0 });
    expect(imp.json.quarantined).toHaveLength(1);

    const train = (await call(base, 'POST', '/api/train', {
      json: { ticker: 'PGX', model: 'ridge', horizon: 1 },
    })) as Reply<{ jobId: string }>;
    expect(train.status).toBe(202);
    const job = await waitJob(base, train.json.jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('completed');
    // Naive is registered first (version 1, the floor); ridge (version 2) serves only if it beats naive.
    const served = (job.result as { promoted: boolean }).promoted ? 2 : 1;

    const pred = (await call(base, 'GET', '/api/predict?ticker=PGX&horizon=1')) as Reply<{
      ticker: string;
      modelVersion: number;
      predictedClose: number;
    }>;
    expect(pred.status).toBe(200);
    expect(pred.json).toMatchObject({ ticker: 'PGX', modelVersion: served });
    expect(pred.json.predictedClose).toBeGreaterThan(0);

    // The training run records the exact data it used: a Parquet snapshot's digest and date range.
    const runs = (await call(base, 'GET', '/api/runs?ticker=PGX')) as Reply<
      {
        tags: Record<string, string>;
        datasets?: { digest: string; source: string; from: string; to: string; rows: number }[];
      }[]
    >;
    const ds = runs.json[0]?.datasets?.[0];
    expect(ds).toMatchObject({ rows: 600, from: '2010-01-04' });
    expect(ds?.source).toMatch(/datasets\/[0-9a-f]{64}\.parquet$/);
    expect(runs.json[0]?.tags['stockops.data.digest']).toBe(ds?.digest);

    const ui = await fetch(`${base}/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/<html|stockops/i);

    // PostgreSQL takes many processes: a CLI command opens the same database while the server runs.
    const p = await cli(['predict', '--ticker', 'PGX', '--json'], env);
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout) as { modelVersion: number }).toMatchObject({
      modelVersion: served,
    });
  }, 300_000);
});

describe('stockops with CLICKHOUSE_URL', () => {
  it('keeps the cleaned series in ClickHouse and reads history from it', async () => {
    const pgdb = await createPostgresDatabase();
    cleanups.push(pgdb.drop);
    const chUrl = await clickhouseTestUrl();
    const env = {
      ...ISOLATED,
      STOCKOPS_HOME: mkdtempSync(join(tmpdir(), 'stockops-ch-home-')),
      DATABASE_URL: pgdb.url,
      CLICKHOUSE_URL: chUrl,
      PRICE_SOURCE_URL: `file://${FIXTURES}`,
      STOCKOPS_BOOTSTRAP: 'false',
    };
    const server = await startServerProcess(env);
    servers.push(server);
    const base = server.url;
    const etl = (await call(base, 'POST', '/api/etl', {
      json: { tickers: ['AAPL', '2330.TW'] },
    })) as Reply<{ jobId: string }>;
    expect(etl.status).toBe(202);
    const job = await waitJob(base, etl.json.jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('completed');

    const ch = await ClickHouseSeriesStore.open(chUrl);
    cleanups.push(async () => {
      await ch.dropDatabase();
      await ch.close();
    });
    const inClickHouse = await ch.getBars('AAPL');
    expect(inClickHouse).toHaveLength(64);
    const hist = (await call(base, 'GET', '/api/tickers/AAPL/history')) as Reply<{
      bars: { date: string; close: number }[];
    }>;
    expect(hist.json.bars).toEqual(inClickHouse);

    // A row only ClickHouse has is in the history: the read went to ClickHouse, not to PostgreSQL.
    const last = inClickHouse.at(-1);
    if (!last) {
      throw new Error('no bars in ClickHouse');
    }
    await ch.writeClean('AAPL', [{ ...last, close: 4242.5, high: 4243, adjClose: 4242.5 }]);
    const after = (await call(
      base,
      'GET',
      `/api/tickers/AAPL/history?from=${last.date}`,
    )) as Reply<{ bars: { date: string; close: number }[] }>;
    expect(after.status, JSON.stringify(after.json)).toBe(200);
    expect(after.json.bars.map((b) => b.close)).toEqual([4242.5]);
    const tickers = (await call(base, 'GET', '/api/tickers')) as Reply<
      { symbol: string; rows: number }[]
    >;
    expect(tickers.json).toEqual([
      expect.objectContaining({ symbol: '2330.TW', rows: 65 }),
      expect.objectContaining({ symbol: 'AAPL', rows: 64 }),
    ]);
  }, 300_000);
});
