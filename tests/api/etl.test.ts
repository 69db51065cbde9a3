// The ETL over HTTP: POST /api/etl starts a job on recorded Yahoo responses; GET /api/etl/runs reports it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from './harness.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'yahoo');

interface Job {
  status: string;
  result?: { etlRunId?: string };
  error?: { code: string; message: string };
}

async function waitJob(h: Harness, id: string): Promise<Job> {
  for (let i = 0; i < 600; i++) {
    const job = (await h.app.inject({ url: `/api/jobs/${id}` })).json<Job>();
    if (job.status === 'completed' || job.status === 'failed') {
      return job;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('POST /api/etl and GET /api/etl/runs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({
      bootstrap: false,
      apiKey: 'k',
      env: { PRICE_SOURCE_URL: `file://${FIXTURES}` },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('runs the ETL as a job and lists the run with its steps, results and quality checks', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/etl',
      headers: { 'x-api-key': 'k' },
      payload: { tickers: ['aapl', '2330.TW'] },
    });
    expect(res.statusCode).toBe(202);
    const job = await waitJob(h, res.json<{ jobId: string }>().jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('completed');
    const runs = (await h.app.inject({ url: '/api/etl/runs' })).json<
      {
        id: string;
        status: string;
        tickers: string[];
        steps: { step: string }[];
        quality: unknown[];
      }[]
    >();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', tickers: ['AAPL', '2330.TW'] });
    expect(runs[0]?.steps.map((s) => s.step)).toEqual([
      'extract',
      'validate',
      'load_raw',
      'clean',
      'quality',
      'snapshot',
    ]);
    expect(runs[0]?.quality).toHaveLength(8);
    const one = await h.app.inject({ url: `/api/etl/runs/${runs[0]?.id ?? ''}` });
    expect(one.statusCode).toBe(200);
    // The cleaned series serves history; the null bar is in the quarantine.
    const hist = await h.app.inject({
      url: '/api/tickers/2330.TW/history?from=2020-09-14&to=2020-09-16',
    });
    expect(hist.json<{ bars: { date: string }[] }>().bars.map((b) => b.date)).toEqual([
      '2020-09-14',
      '2020-09-16',
    ]);
    const q = await h.app.inject({ url: '/api/quarantine?ticker=2330.TW' });
    expect(q.json<{ line: number; reason: string }[]>()).toMatchObject([
      { line: 55, reason: 'missing value in every column (a null bar)' },
    ]);
  });

  it('takes an empty body as the defaults and guards the route with the API key', async () => {
    expect((await h.app.inject({ method: 'POST', url: '/api/etl' })).statusCode).toBe(401);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/etl',
      headers: { 'x-api-key': 'k' },
    });
    expect(res.statusCode).toBe(202);
    const job = await waitJob(h, res.json<{ jobId: string }>().jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('completed');
  });

  it('answers 400 for bad tickers and unknown fields, and 404 for an unknown run', async () => {
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/etl',
      headers: { 'x-api-key': 'k' },
      payload: { tickers: ["AAPL'; drop table raw_bars;--"] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('INVALID_INPUT');
    const extra = await h.app.inject({
      method: 'POST',
      url: '/api/etl',
      headers: { 'x-api-key': 'k' },
      payload: { tickers: ['AAPL'], since: 'yesterday' },
    });
    expect(extra.statusCode).toBe(400);
    const none = await h.app.inject({ url: '/api/etl/runs/00000000-0000-4000-8000-000000000000' });
    expect(none.statusCode).toBe(404);
    expect((await h.app.inject({ url: '/api/etl/runs/nope' })).statusCode).toBe(400);
  });
});
