// API behaviour through app.inject() on the real app (embedded PGlite in memory, bundled S&P 500 sample).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/core/index.js';
import { randomWalkBars } from '../../src/core/testing/index.js';
import { csv, harness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
});

const get = (url: string) => h.app.inject({ method: 'GET', url });
const post = (
  url: string,
  payload: string | object | Buffer,
  headers: Record<string, string> = {},
) => h.app.inject({ method: 'POST', url, payload, headers });

async function waitJob(id: string): Promise<JobInfo> {
  for (;;) {
    const job = (await get(`/api/jobs/${id}`)).json<JobInfo>();
    if (job.status === 'completed' || job.status === 'failed') {
      return job;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /api/health and /api/tickers', () => {
  it('reports ok and lists the bundled S&P 500 history', async () => {
    expect((await get('/api/health')).json()).toMatchObject({ status: 'ok' });
    const tickers = (await get('/api/tickers')).json<{ symbol: string; rows: number }[]>();
    expect(tickers).toEqual([
      { symbol: '^GSPC', firstDate: '2000-01-03', lastDate: '2020-04-17', rows: 5105 },
    ]);
  });
});

describe('GET /api/tickers/{symbol}/history', () => {
  it('returns bars in a date range', async () => {
    const res = await get('/api/tickers/%5EGSPC/history?from=2020-04-13&to=2020-04-17');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ symbol: string; bars: { date: string; close: number }[] }>();
    expect(body.bars.map((b) => b.date)).toEqual([
      '2020-04-13',
      '2020-04-14',
      '2020-04-15',
      '2020-04-16',
      '2020-04-17',
    ]);
    expect(body.bars[4]).toMatchObject({
      close: 2874.560059,
      adjClose: 2874.560059,
      volume: 5792140000,
    });
  });

  it('answers 404 with a code for an unknown ticker and 400 naming the bad field', async () => {
    const nf = await get('/api/tickers/NOPE/history');
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toMatchObject({ error: { code: 'UNKNOWN_TICKER' } });
    const bad = await get('/api/tickers/%5EGSPC/history?from=2020-02-30');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'from' } });
    const order = await get('/api/tickers/%5EGSPC/history?from=2020-03-01&to=2020-02-01');
    expect(order.statusCode).toBe(400);
    const sym = await get(`/api/tickers/${encodeURIComponent("x'; drop table bars;--")}/history`);
    expect(sym.statusCode).toBe(400);
    expect(sym.json()).toMatchObject({ error: { field: 'symbol' } });
  });
});

describe('GET /api/predict', () => {
  it('serves the champion: a price for the next trading day beside the naive baseline', async () => {
    const res = await get('/api/predict?ticker=%5EGSPC&horizon=1');
    expect(res.statusCode).toBe(200);
    const p = res.json<{
      asOf: string;
      targetDate: string;
      predictedClose: number;
      predictedReturn: number;
      lastClose: number;
      modelVersion: number;
      baseline: { predictedClose: number };
      model: { kind: string; servedBecause: string; metrics: Record<string, number> };
    }>();
    expect(p.asOf).toBe('2020-04-17');
    expect(p.targetDate).toBe('2020-04-20');
    // At h = 1 ridge (version 2, after naive) beats naive on the gate window, so it serves, and says why.
    expect(p.modelVersion).toBe(2);
    expect(p.model.kind).toBe('ridge');
    expect(p.model.servedBecause).toMatch(/^promoted: RMSE .* beats naive .* \(champion v1\)/);
    expect(p.baseline.predictedClose).toBe(2874.560059);
    expect(p.predictedClose).toBeCloseTo(p.lastClose * Math.exp(p.predictedReturn), 9);
    expect(Math.abs(p.predictedClose / p.lastClose - 1)).toBeLessThan(0.05);
    expect(p.model.metrics).toHaveProperty('skill');
    expect(p.model.metrics).toHaveProperty('rmseNaive');
  });

  it('names the bad field, and answers 404 for unknown tickers', async () => {
    const h2 = await get('/api/predict?ticker=%5EGSPC&horizon=2');
    expect(h2.statusCode).toBe(400);
    expect(h2.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'horizon' } });
    const missing = await get('/api/predict');
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { field: 'ticker' } });
    expect((await get('/api/predict?ticker=NOPE')).json()).toMatchObject({
      error: { code: 'UNKNOWN_TICKER' },
    });
  });
});

describe('POST /api/train and GET /api/jobs/{id}', () => {
  it('trains in the background, tracks and registers the version, and never serves it when it does not beat naive', async () => {
    // GBDT's walk-forward skill at 5 days is negative on this sample (README table).
    const res = await post('/api/train', { ticker: '^GSPC', model: 'gbdt', horizon: 5 });
    expect(res.statusCode).toBe(202);
    const job = await waitJob(res.json<{ jobId: string }>().jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('completed');
    // Versions 1 (naive, the floor) and 2 (ridge) came from the first start.
    expect(job.result).toMatchObject({ modelVersion: 3, modelName: '^GSPC.h5', promoted: false });
    expect((job.result as { decision: string }).decision).toMatch(
      /^not promoted: RMSE .* does not beat naive .*; naive \(champion v1\) stays$/,
    );
    const pred = await get('/api/predict?ticker=%5EGSPC&horizon=5');
    expect(pred.statusCode).toBe(200);
    expect(pred.json()).toMatchObject({
      horizon: 5,
      targetDate: '2020-04-24',
      modelVersion: 1,
      model: { kind: 'naive' },
    });
    const runs = (await get('/api/runs?ticker=%5EGSPC')).json<
      {
        params: Record<string, string>;
        metrics: Record<string, number>;
        tags: Record<string, string>;
      }[]
    >();
    // naive and ridge for each of h = 1, 5, 20, then this one.
    expect(runs).toHaveLength(7);
    expect(runs[0]?.params).toMatchObject({ model: 'gbdt', horizon: '5', 'wf.purge': '5' });
    expect(runs[0]?.metrics).toHaveProperty('rmse_naive');
    expect(runs[0]?.metrics.skill).toBeLessThan(0);
    expect(runs[0]?.tags).toMatchObject({
      'stockops.promotion.promoted': 'false',
      'stockops.promotion.outcome': 'keep',
    });
    const models = (await get('/api/models')).json<
      { name: string; aliases: Record<string, number> }[]
    >();
    expect(models.find((m) => m.name === '^GSPC.h5')?.aliases).toEqual({
      champion: 1,
      challenger: 3,
    });
    // Naive became champion once (the floor); ridge and gbdt each only took the challenger alias.
    expect(
      (await get('/api/models/%5EGSPC.h5/history'))
        .json<{ alias: string; toVersion: number }[]>()
        .map((e) => [e.alias, e.toVersion]),
    ).toEqual([
      ['challenger', 3],
      ['challenger', 2],
      ['champion', 1],
      ['challenger', 1],
    ]);
  });

  it('refuses bad bodies with 400 naming the field, and unknown tickers with 404', async () => {
    const bad = await post('/api/train', { ticker: '^GSPC', model: 'lstm' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { field: 'model' } });
    const extra = await post('/api/train', { ticker: '^GSPC', epochs: 3 });
    expect(extra.json()).toMatchObject({ error: { field: 'epochs' } });
    expect((await post('/api/train', { ticker: 'NOPE' })).statusCode).toBe(404);
    expect((await get('/api/jobs/nope')).statusCode).toBe(404);
  });
});

describe('POST /api/import', () => {
  it('accounts for every row: imported + duplicates + quarantined = data rows', async () => {
    const rows = randomWalkBars(30, 9).map(
      (b) => `${b.date},${b.open},${b.high},${b.low},${b.close},${b.adjClose},${b.volume}`,
    );
    const body = csv([...rows, rows[0] ?? '', '2012-01-03,1,0.5,0.9,1,1,1', 'garbage']);
    const res = await post('/api/import?ticker=NEW', body, { 'content-type': 'text/csv' });
    expect(res.statusCode).toBe(200);
    const r = res.json<{ imported: number; duplicates: number; quarantined: { line: number }[] }>();
    expect(r).toMatchObject({ ticker: 'NEW', imported: 30, duplicates: 1 });
    expect(r.quarantined.map((q) => q.line)).toEqual([33, 34]);
    const again = (
      await post('/api/import?ticker=NEW', body, { 'content-type': 'text/csv' })
    ).json<{ imported: number; duplicates: number }>();
    expect(again).toMatchObject({ imported: 0, duplicates: 31 });
    expect((await get('/api/quarantine?ticker=NEW')).json()).toHaveLength(4);
  });

  it('refuses a file that is not the Yahoo CSV, naming the expected columns', async () => {
    const res = await post('/api/import?ticker=NEW2', 'a,b\n1,2\n', { 'content-type': 'text/csv' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'INVALID_CSV' } });
    expect(res.json<{ error: { message: string } }>().error.message).toContain(
      'Date,Open,High,Low,Close,Adj Close,Volume',
    );
    expect(
      (await get('/api/tickers')).json<{ symbol: string }[]>().map((t) => t.symbol),
    ).not.toContain('NEW2');
  });
});

describe('GET /metrics, /openapi.json and /docs', () => {
  it('exposes Prometheus counters by route and status', async () => {
    await get('/api/predict?ticker=%5EGSPC');
    const text = (await get('/metrics')).body;
    expect(text).toMatch(
      /stockops_http_requests_total\{method="GET",route="\/api\/predict",status="200"\} \d+/,
    );
    expect(text).toMatch(/stockops_predictions_served_total\{ticker="\^GSPC",horizon="1"\} \d+/);
    expect(text).toContain('stockops_http_request_duration_seconds_bucket');
    expect(text).toContain('stockops_process_cpu_seconds_total');
    expect(text).toContain('stockops_training_runs_total');
  });

  it('documents every API route in OpenAPI and serves the browsable docs', async () => {
    const spec = (await get('/openapi.json')).json<{ paths: Record<string, unknown> }>();
    for (const p of [
      '/api/health',
      '/api/tickers',
      '/api/tickers/{symbol}/history',
      '/api/predict',
      '/api/train',
      '/api/jobs/{id}',
      '/api/runs',
      '/api/models',
    ]) {
      expect(Object.keys(spec.paths)).toContain(p);
    }
    const docs = await get('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });
});

describe('user input never causes a 500', () => {
  it('answers 4xx to malformed requests', async () => {
    const cases = [
      get('/api/predict?ticker=%00'),
      get('/api/predict?ticker=' + 'A'.repeat(5000)),
      get('/api/predict?ticker=%5EGSPC&horizon=abc'),
      get('/api/tickers/%ZZ/history'),
      get('/api/runs/../../etc/passwd'),
      get('/api/runs?limit=-1'),
      h.app.inject({
        method: 'POST',
        url: '/api/train',
        payload: '{not json',
        headers: { 'content-type': 'application/json' },
      }),
      h.app.inject({
        method: 'POST',
        url: '/api/train',
        payload: 'x',
        headers: { 'content-type': 'application/xml' },
      }),
      post('/api/train', []),
      post('/api/import?ticker=X', Buffer.from([0xff, 0xfe, 0x00, 0x01]), {
        'content-type': 'application/octet-stream',
      }),
      post('/api/import', 'x', { 'content-type': 'text/csv' }),
      get('/api/nothing-here'),
    ];
    for (const res of await Promise.all(cases)) {
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, res.body).toBeLessThan(500);
      expect(res.json<{ error: { code: string } }>().error.code, res.body).toBeTruthy();
    }
  });
});

describe('STOCKOPS_API_KEY', () => {
  it('guards mutating routes and leaves reads open', async () => {
    const k = await harness({ apiKey: 's3cret', bootstrap: false });
    try {
      const no = await k.app.inject({
        method: 'POST',
        url: '/api/train',
        payload: { ticker: '^GSPC' },
      });
      expect(no.statusCode).toBe(401);
      expect(no.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      const wrong = await k.app.inject({
        method: 'POST',
        url: '/api/train',
        payload: { ticker: '^GSPC' },
        headers: { 'x-api-key': 'nope' },
      });
      expect(wrong.statusCode).toBe(401);
      const ok = await k.app.inject({
        method: 'POST',
        url: '/api/train',
        payload: { ticker: '^GSPC' },
        headers: { 'x-api-key': 's3cret' },
      });
      expect(ok.statusCode).toBe(404);
      expect((await k.app.inject({ method: 'GET', url: '/api/tickers' })).statusCode).toBe(200);
    } finally {
      await k.close();
    }
  });
});
