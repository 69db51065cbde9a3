// ETL errors a person can act on (issue 12): an unknown symbol fails at once, an unreachable source fails fast per
// ticker. On the real app; the price source is recorded responses, or a closed loopback port (never the network).
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from './harness.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'yahoo');

interface FlowRun {
  state: string;
  error: { code: string; message: string } | null;
  taskRuns: { task: string; attempts: number; state: string }[];
}

async function waitEnded(h: Harness, id: string): Promise<FlowRun> {
  for (let i = 0; i < 1200; i++) {
    const run = (await h.app.inject({ url: `/api/flow-runs/${id}` })).json<FlowRun>();
    if (['Completed', 'Failed', 'Cancelled'].includes(run.state)) {
      return run;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`flow run ${id} did not end`);
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const addr = s.address();
  await new Promise<void>((r) =>
    s.close(() => {
      r();
    }),
  );
  return typeof addr === 'object' && addr ? addr.port : 9;
}

const harnesses: Harness[] = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

describe('ETL failures', () => {
  it('fails an ETL for an unknown symbol on its first attempt, naming the symbol', async () => {
    const h = await harness({ bootstrap: false, env: { PRICE_SOURCE_URL: `file://${FIXTURES}` } });
    harnesses.push(h);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/etl',
      payload: { tickers: ['NOPE'] },
    });
    expect(res.statusCode).toBe(202);
    const run = await waitEnded(h, res.json<{ jobId: string }>().jobId);
    expect(run.state).toBe('Failed');
    expect(run.error?.code).toBe('ETL_FAILED');
    expect(run.error?.message).toContain('NOPE');
    // Permanent for every ticker: the task is not retried (it was retried twice, 30 s apart).
    expect(run.taskRuns.find((t) => t.task === 'etl')?.attempts).toBe(1);
  }, 180_000);

  it('fails fast when the price source cannot be reached, saying so per ticker', async () => {
    const port = await closedPort();
    const h = await harness({
      bootstrap: false,
      env: { PRICE_SOURCE_URL: `yahoo://127.0.0.1:${port}` },
    });
    harnesses.push(h);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/etl',
      payload: { tickers: ['AAPL', 'TSM'] },
    });
    const run = await waitEnded(h, res.json<{ jobId: string }>().jobId);
    expect(run.state).toBe('Failed');
    const message = run.error?.message ?? '';
    expect(message).toMatch(/AAPL \(extract\): .*cannot reach the price source/);
    expect(message).toMatch(/TSM \(extract\): .*cannot reach the price source/);
    expect(run.taskRuns.find((t) => t.task === 'etl')?.attempts).toBe(1);
    const etl = (await h.app.inject({ url: '/api/etl/runs' })).json<
      { results: { symbol: string; error?: { message: string } }[] }[]
    >()[0];
    expect(etl?.results.map((r) => r.error?.message ?? '')).toEqual([
      expect.stringContaining('cannot reach the price source'),
      expect.stringContaining('cannot reach the price source'),
    ]);
  }, 180_000);
});
