// `stockops ingest` with the real binary on recorded Yahoo responses (PRICE_SOURCE_URL=file://...), never the network.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT, startServerProcess, type RunningServer } from './run.js';

const env = () => ({
  STOCKOPS_HOME: mkdtempSync(join(tmpdir(), 'stockops-ingest-')),
  PRICE_SOURCE_URL: `file://${join(ROOT, 'tests', 'fixtures', 'yahoo')}`,
  STOCKOPS_BOOTSTRAP: 'false',
});

interface Run {
  status: string;
  tickers: string[];
  results: {
    symbol: string;
    status: string;
    inserted: number;
    unchanged: number;
    quarantined: number;
  }[];
  steps: { step: string }[];
}

describe('stockops ingest', () => {
  it('ingests AAPL TSM 2330.TW, then re-runs incrementally without changing anything', async () => {
    const e = env();
    const first = await cli(['ingest', 'AAPL', 'TSM', '2330.TW', '--json'], e);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const run = JSON.parse(lines[0] ?? '') as Run;
    expect(run.status).toBe('completed');
    expect(run.tickers).toEqual(['AAPL', 'TSM', '2330.TW']);
    expect(run.results.map((r) => [r.symbol, r.inserted, r.quarantined])).toEqual([
      ['AAPL', 64, 0],
      ['TSM', 64, 0],
      ['2330.TW', 65, 1],
    ]);
    const again = await cli(['ingest', 'AAPL', 'TSM', '2330.TW'], e);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/ETL run .*: completed/);
    expect(again.stdout).toMatch(/AAPL\s+ok: fetched \d+, 0 new, 0 changed, \d+ unchanged/);
  });

  it('reports a ticker Yahoo does not know and exits non-zero, having ingested the others', async () => {
    const res = await cli(['ingest', 'AAPL', 'NOSUCH', '--json'], env());
    expect(res.code).toBe(1);
    const run = JSON.parse(res.stdout.trim()) as Run & {
      results: { error?: { message: string } }[];
    };
    expect(run.status).toBe('partial');
    expect(run.results.map((r) => r.status)).toEqual(['ok', 'failed']);
    expect(run.results[1]?.error?.message).toMatch(/no data/i);
  });

  it('offline, ends with the reason for each ticker instead of backing off for minutes', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const addr = s.address();
    await new Promise<void>((r) =>
      s.close(() => {
        r();
      }),
    );
    const port = typeof addr === 'object' && addr ? addr.port : 9;
    const res = await cli(['ingest', 'AAPL', 'TSM'], {
      ...env(),
      PRICE_SOURCE_URL: `yahoo://127.0.0.1:${port}`,
    });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/AAPL\s+FAILED in extract: .*cannot reach the price source/);
    expect(res.stdout).toMatch(/TSM\s+FAILED in extract: .*cannot reach the price source/);
  });

  it('refuses a malformed ticker before doing anything', async () => {
    const res = await cli(['ingest', 'AA PL;', '--json'], env());
    expect(res.code).toBe(1);
    expect((JSON.parse(res.stdout.trim()) as { error: { code: string } }).error.code).toBe(
      'INVALID_INPUT',
    );
  });
});

describe('stockops ingest beside a running server on the same data folder', () => {
  let server: RunningServer | null = null;
  afterAll(async () => {
    await server?.stop();
  });

  it('goes through the server (POST /api/etl, then the run log) and prints the same run record', async () => {
    const e = env();
    server = await startServerProcess(e);
    const res = await cli(['ingest', '2330.TW', '--json'], e);
    expect(res.code, res.stderr).toBe(0);
    const run = JSON.parse(res.stdout.trim()) as Run & { id: string };
    expect(run).toMatchObject({ status: 'completed', tickers: ['2330.TW'] });
    expect(run.results[0]).toMatchObject({ symbol: '2330.TW', inserted: 65, quarantined: 1 });
    const listed = (await (await fetch(`${server.url}/api/etl/runs`)).json()) as { id: string }[];
    expect(listed.map((r) => r.id)).toEqual([run.id]);
  });
});
