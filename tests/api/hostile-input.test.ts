// Hostile input at the edge (issue 12): each case that once answered 500, or disagreed with the contract, on the real app.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainModel } from '../../src/services/index.js';
import { sym } from '../../src/core/testing/index.js';
import { harness, type Harness } from './harness.js';

let h: Harness;
const key = { 'x-api-key': 'k' };
const champion = `/api/models/${encodeURIComponent('^GSPC.h1')}/aliases/champion`;

beforeAll(async () => {
  h = await harness({ apiKey: 'k' });
  // A second version to move champion to.
  await trainModel(h.rt.services, { ticker: sym('^GSPC'), model: 'naive', horizon: 1 });
});
afterAll(async () => {
  await h.close();
});

const expectEnvelope = (res: { statusCode: number; body: string }, status: number) => {
  const shown = res.body.slice(0, 300);
  expect(res.statusCode, shown).toBe(status);
  const body = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code, shown).toBe('string');
  expect(typeof body.error?.message, shown).toBe('string');
};

describe('dates at the edge', () => {
  it('answers 400 for a history from year 0, which the database cannot store', async () => {
    const res = await h.app.inject({ url: '/api/tickers/%5EGSPC/history?from=0000-01-01' });
    expectEnvelope(res, 400);
    expect(res.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'from' } });
  });

  it('answers 400 for dates before 1900 or more than a year ahead', async () => {
    expectEnvelope(
      await h.app.inject({ url: '/api/tickers/%5EGSPC/history?from=1899-12-31' }),
      400,
    );
    const ahead = `${new Date().getUTCFullYear() + 2}-01-01`;
    expectEnvelope(await h.app.inject({ url: `/api/tickers/%5EGSPC/history?to=${ahead}` }), 400);
  });
});

describe('integers within their column', () => {
  it('refuses a version past int32 (2147483648, 1e10) with 400, not a database overflow', async () => {
    for (const version of [2147483648, 1e10]) {
      const res = await h.app.inject({
        method: 'POST',
        url: champion,
        headers: key,
        payload: { version, reason: 'overflow' },
      });
      expectEnvelope(res, 400);
      expect(res.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'version' } });
    }
  });

  it('refuses a recipe version past int32 in the path and in a run request', async () => {
    expectEnvelope(await h.app.inject({ url: '/api/recipes/any/versions/2147483648' }), 400);
    const run = await h.app.inject({
      method: 'POST',
      url: '/api/recipes/any/runs',
      headers: key,
      payload: { tickers: ['^GSPC'], action: 'train', version: 1e10 },
    });
    expectEnvelope(run, 400);
    expect(run.json()).toMatchObject({ error: { field: 'version' } });
  });

  it('refuses a forged forecast-log cursor with an impossible date as 400, not a database error', async () => {
    for (const forged of ['0000-01-01|1', '2024-13-45|1', '1899-12-31|1']) {
      const cursor = Buffer.from(forged, 'utf8').toString('base64url');
      const res = await h.app.inject({ url: `/api/predictions?cursor=${cursor}` });
      expectEnvelope(res, 400);
      expect(res.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'cursor' } });
    }
  });

  it('refuses a report, alert or approval id past what a bigint and JavaScript hold as 400 (the fuzz found a 500)', async () => {
    const huge = '1209076099760999104512';
    expectEnvelope(await h.app.inject({ url: `/api/monitoring/reports/${huge}` }), 400);
    for (const url of [
      `/api/alerts/${huge}/ack`,
      `/api/approvals/${huge}/approve`,
      `/api/approvals/${huge}/reject`,
    ]) {
      expectEnvelope(await h.app.inject({ method: 'POST', url, headers: key, payload: {} }), 400);
    }
    // Within the bound, an id that does not exist is the documented 404.
    expectEnvelope(
      await h.app.inject({
        method: 'POST',
        url: '/api/approvals/9007199254740991/approve',
        headers: key,
        payload: {},
      }),
      404,
    );
  });

  it('states in the contract the times champion-at reads, so a number past 15 digits is refused by the schema', async () => {
    const at = (time: string) =>
      h.app.inject({
        url: `/api/models/${encodeURIComponent('^GSPC.h1')}/champion-at?time=${encodeURIComponent(time)}`,
      });
    for (const good of [
      '1700000000000',
      '2020-03-01',
      '2020-03-01T14:30:00Z',
      '2020-03-01T14:30+08:00',
    ]) {
      expect((await at(good)).statusCode, good).toBe(200);
    }
    for (const bad of ['0'.repeat(39), '2020-03-01T14:30:00', 'yesterday']) {
      const res = await at(bad);
      expectEnvelope(res, 400);
      expect(res.json<{ error: { code: string } }>().error.code, bad).toBe('INVALID_INPUT');
    }
    // The fuzz judges requests by the document: the pattern is there, and it refuses what the server refuses.
    const doc = (await h.app.inject({ url: '/openapi.json' })).json<{
      paths: Record<
        string,
        { get: { parameters: { name: string; schema: { pattern?: string } }[] } }
      >;
    }>();
    const time = doc.paths['/api/models/{name}/champion-at']?.get.parameters.find(
      (p) => p.name === 'time',
    );
    const pattern = new RegExp(time?.schema.pattern ?? '');
    expect(pattern.test('2020-03-01T14:30:00Z')).toBe(true);
    expect(pattern.test('0'.repeat(39))).toBe(false);
  });

  it('does not coerce JSON bodies: true and "1" are not the number 1', async () => {
    for (const version of [true, '1']) {
      const res = await h.app.inject({
        method: 'POST',
        url: champion,
        headers: key,
        payload: { version, reason: 'coerced' },
      });
      expectEnvelope(res, 400);
    }
    const train = await h.app.inject({
      method: 'POST',
      url: '/api/train',
      headers: key,
      payload: { ticker: '^GSPC', horizon: '1' },
    });
    expectEnvelope(train, 400);
  });

  it('keeps the documented coercion of query strings', async () => {
    const res = await h.app.inject({ url: '/api/flow-runs?limit=2' });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('NUL bytes', () => {
  it('answers 400 for control characters in an approval or acknowledgement, before anything is read', async () => {
    for (const [url, payload] of [
      ['/api/approvals/1/reject', { reason: 'a\u0000b' }],
      ['/api/approvals/1/approve', { by: 'x\u001b' }],
      ['/api/alerts/1/ack', { by: 'a\u0000' }],
    ] as const) {
      expectEnvelope(await h.app.inject({ method: 'POST', url, headers: key, payload }), 400);
    }
  });

  it('answers 400 with the error envelope on every route that took them to the database', async () => {
    const cases = [
      h.app.inject({ url: '/api/flow-runs?flow=a%00b' }),
      h.app.inject({ url: '/api/flow-runs?parent=a%00b' }),
      h.app.inject({ url: '/api/models/a%00b/history' }),
      h.app.inject({ url: '/api/jobs/a%00b' }),
      h.app.inject({ url: '/api/flow-runs/a%00b' }),
      h.app.inject({ method: 'POST', url: '/api/flow-runs/a%00b/cancel', headers: key }),
      h.app.inject({
        method: 'PUT',
        url: '/api/schedules/a%00b',
        headers: key,
        payload: { enabled: false },
      }),
      h.app.inject({
        method: 'POST',
        url: '/api/models/a%00b/aliases/champion',
        headers: key,
        payload: { version: 1, reason: 'x' },
      }),
    ];
    for (const res of await Promise.all(cases)) {
      expectEnvelope(res, 400);
    }
  });

  it('answers 400 on the routes added since: ticker detail, forecast log, recipes, ETL runs of a flow run', async () => {
    const cases = [
      h.app.inject({ url: '/api/tickers/a%00b' }),
      h.app.inject({ url: '/api/predictions?cursor=a%00b' }),
      h.app.inject({ url: '/api/etl/runs?flowRun=a%00b' }),
      h.app.inject({ url: '/api/recipes/a%00b' }),
      h.app.inject({ url: '/api/recipes/a/versions/1%00' }),
      h.app.inject({
        method: 'POST',
        url: '/api/recipes',
        headers: key,
        payload: { id: 'nul', name: 'a\u0000b', spec: {} },
      }),
      h.app.inject({
        method: 'POST',
        url: '/api/flows/train/runs',
        headers: key,
        payload: { ticker: '^GSPC', actor: 'a\u0000b' },
      }),
    ];
    for (const res of await Promise.all(cases)) {
      expectEnvelope(res, 400);
    }
  });

  it('refuses a NUL in the reason before champion moves, so nothing moves unaudited', async () => {
    const before = (await h.rt.services.registry.getVersionByAlias('^GSPC.h1', 'champion'))
      ?.version;
    const events = (await h.rt.services.aliasLog.list('^GSPC.h1')).length;
    const res = await h.app.inject({
      method: 'POST',
      url: champion,
      headers: key,
      payload: { version: before === 1 ? 2 : 1, reason: 'bad\u0000reason' },
    });
    expectEnvelope(res, 400);
    expect(res.json()).toMatchObject({ error: { field: 'reason' } });
    expect((await h.rt.services.registry.getVersionByAlias('^GSPC.h1', 'champion'))?.version).toBe(
      before,
    );
    expect(await h.rt.services.aliasLog.list('^GSPC.h1')).toHaveLength(events);
  });
});

describe('framework errors in the error envelope', () => {
  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const res = await h.app.inject({ method: 'DELETE', url: '/api/tickers' });
    expectEnvelope(res, 405);
    expect(res.json()).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
    expect(res.headers.allow).toBe('GET');
    const put = await h.app.inject({ method: 'PUT', url: '/api/flow-runs/x/cancel', headers: key });
    expectEnvelope(put, 405);
    expect(put.headers.allow).toBe('POST');
  });

  it('answers 404 for unknown paths and 415 for an unsupported media type', async () => {
    expectEnvelope(await h.app.inject({ url: '/api/nothing-here' }), 404);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/train',
      headers: { ...key, 'content-type': 'application/xml' },
      payload: '<x/>',
    });
    expectEnvelope(res, 415);
  });

  it('answers a 200 KB URL with 431 in the error envelope, not Node’s bare reply', async () => {
    const url = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(url);
    const res = await new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: `/api/tickers?x=${'a'.repeat(200 * 1024)}` },
        (r) => {
          let body = '';
          r.on('data', (d: Buffer) => (body += d.toString()));
          r.on('end', () => {
            resolve({ statusCode: r.statusCode ?? 0, body });
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expectEnvelope(res, 431);
  });
});

describe('the OpenAPI document says what the server enforces', () => {
  interface Op {
    parameters?: { name: string; schema: { pattern?: string } }[];
    responses: Record<string, unknown>;
  }
  it('documents 400 and 500 on every API route and the patterns of tickers and ids', async () => {
    const doc = (await h.app.inject({ url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Op>>;
    }>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(Object.keys(op.responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(['500']),
        );
        if ((op.parameters ?? []).length > 0 || method !== 'get') {
          expect(Object.keys(op.responses), `${method} ${path}`).toContain('400');
        }
      }
    }
    const param = (path: string, method: string, name: string) =>
      doc.paths[path]?.[method]?.parameters?.find((p) => p.name === name)?.schema.pattern;
    expect(param('/api/tickers/{symbol}/history', 'get', 'symbol')).toBeTruthy();
    expect(param('/api/flow-runs/{id}', 'get', 'id')).toBeTruthy();
    expect(param('/api/jobs/{id}', 'get', 'id')).toBeTruthy();
    expect(param('/api/etl/runs/{etlRunId}', 'get', 'etlRunId')).toBeTruthy();
    expect(param('/api/models/{name}/history', 'get', 'name')).toBeTruthy();
    expect(param('/api/schedules/{id}', 'put', 'id')).toBeTruthy();
    expect(param('/api/tickers/{symbol}', 'get', 'symbol')).toBeTruthy();
    expect(param('/api/recipes/{id}', 'get', 'id')).toBeTruthy();
    expect(param('/api/predictions', 'get', 'cursor')).toBeTruthy();
    expect(param('/api/etl/runs', 'get', 'flowRun')).toBeTruthy();
  });

  it('writes exclusive bounds the OpenAPI 3.0 way (a boolean beside minimum), which 3.0 tools can read', async () => {
    const text = (await h.app.inject({ url: '/openapi.json' })).body;
    expect(text).not.toMatch(/"exclusive(Minimum|Maximum)":-?[0-9]/);
    expect(text).toMatch(/"exclusiveMinimum":true/);
  });

  it('documents 429 (the rate limit) on every API route but the probes, and 504 (the deadline) on all', async () => {
    const doc = (await h.app.inject({ url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Op>>;
    }>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const statuses = Object.keys(op.responses);
        expect(statuses, `${method} ${path}`).toContain('504');
        if (path === '/api/health' || path === '/api/ready') {
          expect(statuses, `${method} ${path}`).not.toContain('429');
        } else {
          expect(statuses, `${method} ${path}`).toContain('429');
        }
      }
    }
  });
});
