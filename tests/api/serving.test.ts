// Serving at scale through app.inject() on an embedded PGlite in memory with the bundled S&P 500: the serving cache,
// batch predictions, the forecast log and its listing, readiness, the rate limit and Idempotency-Key.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BatchPredictResult, PredictionsPage, Prediction } from '../../src/api/index.js';
import { harness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({
    protection: {
      instance: 'replica-a',
      rateLimit: { max: 0, windowMs: 60_000 },
      redisUrl: null,
      maxEventLoopDelayMs: 0,
      requestTimeoutMs: 30_000,
      trustProxy: 'loopback',
    },
  });
});
afterAll(async () => {
  await h.close();
});

const get = (url: string) => h.app.inject({ method: 'GET', url });
const predictions = async (query = '') => {
  await h.rt.recorder.flush();
  const res = await get(`/api/predictions${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PredictionsPage>();
};

describe('serving cache', () => {
  it('answers a repeated prediction without reading the store or computing features', async () => {
    const first = await get('/api/predict?ticker=%5EGSPC&horizon=1');
    expect(first.statusCode, first.body).toBe(200);
    const prices = h.rt.services.prices;
    const reads = [
      vi.spyOn(prices, 'getTicker'),
      vi.spyOn(prices, 'getBars'),
      vi.spyOn(h.rt.services.registry, 'getVersionByAlias'),
    ];
    try {
      const again = await get('/api/predict?ticker=%5EGSPC&horizon=1');
      expect(again.json()).toEqual(first.json());
      for (const r of reads) {
        expect(r).not.toHaveBeenCalled();
      }
    } finally {
      for (const r of reads) {
        r.mockRestore();
      }
    }
  });

  it('serves the new champion at once after an alias move on this process', async () => {
    const before = (await get('/api/predict?ticker=%5EGSPC&horizon=1')).json<Prediction>();
    const versions = (await get('/api/models')).json<
      { name: string; versions: { version: number }[] }[]
    >();
    const other = versions
      .find((m) => m.name === '^GSPC.h1')
      ?.versions.map((v) => v.version)
      .find((v) => v !== before.modelVersion);
    if (other === undefined) {
      // Only one version: register another by training naive (the gate may or may not promote it).
      const t = await h.app.inject({
        method: 'POST',
        url: '/api/train',
        payload: { ticker: '^GSPC', model: 'naive', horizon: 1 },
      });
      expect(t.statusCode, t.body).toBe(202);
      await h.rt.queue.wait(t.json<{ jobId: string }>().jobId, 120_000);
    }
    const all = (await get('/api/models')).json<
      { name: string; versions: { version: number }[] }[]
    >();
    const target = all
      .find((m) => m.name === '^GSPC.h1')
      ?.versions.map((v) => v.version)
      .find((v) => v !== before.modelVersion);
    expect(target).toBeDefined();
    const move = await h.app.inject({
      method: 'POST',
      url: '/api/models/%5EGSPC.h1/aliases/champion',
      payload: { version: target, reason: 'test: move and back' },
    });
    expect(move.statusCode, move.body).toBe(200);
    expect(
      (await get('/api/predict?ticker=%5EGSPC&horizon=1')).json<Prediction>().modelVersion,
    ).toBe(target);
    await h.app.inject({
      method: 'POST',
      url: '/api/models/%5EGSPC.h1/aliases/champion',
      payload: { version: before.modelVersion, reason: 'test: back' },
    });
    expect(
      (await get('/api/predict?ticker=%5EGSPC&horizon=1')).json<Prediction>().modelVersion,
    ).toBe(before.modelVersion);
  });

  it('serves from the new last bar at once after a CSV import adds one', async () => {
    const before = (await get('/api/predict?ticker=%5EGSPC&horizon=1')).json<Prediction>();
    expect(before.asOf).toBe('2020-04-17');
    const imported = await h.app.inject({
      method: 'POST',
      url: '/api/import?ticker=%5EGSPC',
      headers: { 'content-type': 'text/csv' },
      payload:
        'Date,Open,High,Low,Close,Adj Close,Volume\n2020-04-20,2845.62,2868.98,2820.43,2823.16,2823.16,5220160000\n',
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const after = (await get('/api/predict?ticker=%5EGSPC&horizon=1')).json<Prediction>();
    expect(after.asOf).toBe('2020-04-20');
    expect(after.lastClose).toBe(2823.16);
  });
});

describe('POST /api/predict/batch', () => {
  it('answers each item with its prediction or its own error, in request order', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/predict/batch',
      payload: {
        items: [
          { ticker: '^gspc', horizon: 1 },
          { ticker: 'NOPE' },
          { ticker: '^GSPC', horizon: 20 },
          { ticker: '^GSPC' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<BatchPredictResult>();
    expect(r.results.map((x) => [x.ticker, x.horizon, x.status])).toEqual([
      ['^GSPC', 1, 'ok'],
      ['NOPE', 1, 'error'],
      ['^GSPC', 20, expect.stringMatching(/ok|error/)],
      ['^GSPC', 1, 'ok'],
    ]);
    expect(r.results[1]?.error?.code).toBe('UNKNOWN_TICKER');
    expect(r.results[0]?.prediction).toEqual(r.results[3]?.prediction);
    expect(r.served + r.failed).toBe(4);
  });

  it('refuses an empty batch and one over 1000 items as a whole', async () => {
    for (const items of [[], Array.from({ length: 1001 }, () => ({ ticker: '^GSPC' }))]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/predict/batch',
        payload: { items },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('INVALID_INPUT');
    }
  });
});

describe('GET /api/predictions', () => {
  it('has one row per forecast whose serve count adds up to the serves, by every route', async () => {
    const start = await predictions('?ticker=%5EGSPC&horizon=1&limit=500');
    const newest = start.items[0];
    const before = newest?.asOf === '2020-04-20' ? newest.serveCount : 0;
    for (let i = 0; i < 5; i++) {
      expect((await get('/api/predict?ticker=%5EGSPC&horizon=1')).statusCode).toBe(200);
    }
    await h.app.inject({
      method: 'POST',
      url: '/api/predict/batch',
      payload: { items: [{ ticker: '^GSPC' }, { ticker: '^GSPC' }] },
    });
    const after = await predictions('?ticker=%5EGSPC&horizon=1&limit=500');
    const row = after.items[0];
    expect(row?.asOf).toBe('2020-04-20');
    expect((row?.serveCount ?? 0) - before).toBe(7);
    expect(row?.firstServedAt).toBeLessThanOrEqual(row?.lastServedAt ?? 0);
    expect(row?.model.featureSet).toBe('alpha@1');
  });

  it('joins the outcome once the target date has a bar, and says whether each interval held', async () => {
    // Forecasts made from 2020-04-17 target 2020-04-20, which the import above added.
    const page = await predictions('?ticker=%5EGSPC&horizon=1&to=2020-04-17&limit=500');
    const row = page.items.find((r) => r.asOf === '2020-04-17' && r.targetDate === '2020-04-20');
    expect(row, JSON.stringify(page.items.slice(0, 2))).toBeDefined();
    const actual = row?.actual;
    expect(actual).not.toBeNull();
    // The last close before was 2874.56; the bar of 2020-04-20 closed at 2823.16.
    expect(actual?.close).toBeCloseTo(2823.16, 6);
    expect(actual?.return).toBeCloseTo(Math.log(2823.16 / 2874.56), 6);
    expect(actual?.error).toBeCloseTo((actual?.close ?? 0) - (row?.predictedClose ?? 0), 9);
    expect(actual?.intervals.map((i) => i.level)).toEqual([0.8, 0.95]);
    for (const i of actual?.intervals ?? []) {
      const band = row?.interval.find((x) => x.level === i.level);
      expect(i.held).toBe(
        (band?.lower ?? 0) <= (actual?.close ?? 0) && (actual?.close ?? 0) <= (band?.upper ?? 0),
      );
    }
    // A forecast from the newest bar has no outcome yet.
    const newest = (await predictions('?ticker=%5EGSPC&horizon=1&limit=1')).items[0];
    expect(newest?.actual).toBeNull();
  });

  it('pages newest first behind an opaque cursor without repeats, and refuses a forged one', async () => {
    const all = await predictions('?limit=500');
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: PredictionsPage = await predictions(
        `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.items.map((r) => `${r.model.name}/${r.model.version}/${r.asOf}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((r) => `${r.model.name}/${r.model.version}/${r.asOf}`));
    const bad = await get('/api/predictions?cursor=garbage');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { field: string } }>().error.field).toBe('cursor');
  });
});

describe('replica endpoints', () => {
  it('says which replica answered, on every response', async () => {
    for (const url of ['/api/health', '/api/predict?ticker=%5EGSPC', '/api/nope']) {
      expect((await get(url)).headers['x-stockops-instance']).toBe('replica-a');
    }
  });

  it('answers /api/ready once built without a start-up sequence', async () => {
    const res = await get('/api/ready');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', instance: 'replica-a' });
  });

  it('returns the same flow run for a retried POST /api/train with the same Idempotency-Key', async () => {
    const send = (key: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/train',
        headers: { 'idempotency-key': key },
        payload: { ticker: '^GSPC', model: 'naive', horizon: 5 },
      });
    const a = await send('retry-1');
    const b = await send('retry-1');
    const c = await send('retry-2');
    expect(a.statusCode, a.body).toBe(202);
    expect(b.json()).toEqual(a.json());
    expect(c.json<{ jobId: string }>().jobId).not.toBe(a.json<{ jobId: string }>().jobId);
    const flow = (key: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/flows/train/runs',
        headers: { 'idempotency-key': key },
        payload: { ticker: '^GSPC', model: 'naive', horizon: 5 },
      });
    const f1 = await flow('retry-1');
    expect(f1.statusCode, f1.body).toBe(202);
    expect((await flow('retry-1')).json()).toEqual(f1.json());
    // The key is scoped to the route's flow, so it never returns another flow's run.
    expect(f1.json<{ id: string }>().id).toBe(a.json<{ jobId: string }>().jobId);
    for (const id of [a.json<{ jobId: string }>().jobId, c.json<{ jobId: string }>().jobId]) {
      await h.rt.queue.wait(id, 120_000);
    }
  });
});

describe('OpenAPI and metrics', () => {
  it('documents the serving routes, with the Idempotency-Key header of the routes that start runs', async () => {
    const spec = (await get('/openapi.json')).json<{
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    }>();
    for (const p of ['/api/predict/batch', '/api/predictions', '/api/ready']) {
      expect(Object.keys(spec.paths)).toContain(p);
    }
    for (const [path, method] of [
      ['/api/train', 'post'],
      ['/api/flows/{name}/runs', 'post'],
    ] as const) {
      const params = spec.paths[path]?.[method]?.parameters ?? [];
      expect(params).toContainEqual(
        expect.objectContaining({ name: 'idempotency-key', in: 'header' }),
      );
    }
  });

  it('splits prediction time into stages and counts cache lookups and log writes', async () => {
    await get('/api/predict?ticker=%5EGSPC&horizon=1');
    await h.rt.recorder.flush();
    const text = (await get('/metrics')).body;
    for (const stage of ['cache', 'store', 'features', 'model', 'serialize']) {
      expect(text).toMatch(
        new RegExp(`stockops_predict_stage_seconds_count\\{stage="${stage}"\\} [1-9]`),
      );
    }
    expect(text).toMatch(
      /stockops_predict_request_duration_seconds_bucket\{le="0.00005",method="GET",route="\/api\/predict"/,
    );
    expect(text).toMatch(/stockops_serving_cache_lookups_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/stockops_forecast_log_written_total [1-9]/);
    expect(text).toContain('stockops_forecast_log_dropped_total 0');
  });
});

describe('rate limit', () => {
  it('answers the N+1-th request in the window with 429, Retry-After and the error envelope', async () => {
    const limited = await harness({
      bootstrap: false,
      protection: {
        instance: 'limited',
        rateLimit: { max: 3, windowMs: 60_000 },
        redisUrl: null,
        maxEventLoopDelayMs: 1000,
        requestTimeoutMs: 30_000,
        trustProxy: 'loopback',
      },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (await limited.app.inject({ method: 'GET', url: '/api/tickers' })).statusCode,
        );
      }
      const over = await limited.app.inject({ method: 'GET', url: '/api/tickers' });
      expect(statuses).toEqual([200, 200, 200]);
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(over.json<{ error: { code: string } }>().error.code).toBe('RATE_LIMITED');
      // Another API key has its own budget; the probes are never limited.
      const other = await limited.app.inject({
        method: 'GET',
        url: '/api/tickers',
        headers: { 'x-api-key': 'someone-else' },
      });
      expect(other.statusCode).toBe(200);
      expect((await limited.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(
        200,
      );
    } finally {
      await limited.close();
    }
  });
});
