// Model recipes, the overview and ticker details through app.inject() on the real app (in-process runner, PGlite in memory, bundled sample).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
});

const get = (url: string) => h.app.inject({ method: 'GET', url });
const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  h.app.inject({ method, url, ...(payload ? { payload } : {}) });

const spec = {
  model: { kind: 'ridge', ridge: { alphas: [10, 1000] } },
  featureSet: 'alpha@1',
  horizons: [1],
  window: { type: 'sliding', start: '2008-01-02' },
  walkForward: { initialTrain: 500, step: 500, purge: null, embargo: 1 },
};

async function waitRun(id: string): Promise<{ state: string; error: unknown; result: unknown }> {
  for (;;) {
    const run = (await get(`/api/flow-runs/${id}`)).json<{
      state: string;
      error: unknown;
      result: unknown;
    }>();
    if (['Completed', 'Failed', 'Cancelled'].includes(run.state)) {
      return run;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('model recipes API', () => {
  it('creates version 1, adds versions that keep the old ones, lists the latest and deletes', async () => {
    const created = await send('POST', '/api/recipes', { id: 'ridge-slide', name: 'Ridge', spec });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ id: 'ridge-slide', version: 1, versions: [1], spec });
    const v2 = await send('PUT', '/api/recipes/ridge-slide', {
      name: 'Ridge, one alpha',
      spec: { ...spec, model: { kind: 'ridge', ridge: { alphas: [100] } } },
    });
    expect(v2.json()).toMatchObject({ version: 2, versions: [1, 2], name: 'Ridge, one alpha' });
    expect((await get('/api/recipes/ridge-slide/versions/1')).json()).toMatchObject({
      version: 1,
      spec: { model: { ridge: { alphas: [10, 1000] } } },
    });
    const list = (await get('/api/recipes')).json<{ id: string; version: number }[]>();
    expect(list.map((r) => [r.id, r.version])).toEqual([['ridge-slide', 2]]);
    expect(
      (await send('POST', '/api/recipes', { id: 'ridge-slide', name: 'x', spec })).statusCode,
    ).toBe(409);

    await send('POST', '/api/recipes', { id: 'temp', name: 'temp', spec });
    expect((await send('DELETE', '/api/recipes/temp')).statusCode).toBe(204);
    expect((await get('/api/recipes/temp')).json()).toMatchObject({
      error: { code: 'RECIPE_NOT_FOUND' },
    });
    expect((await send('DELETE', '/api/recipes/temp')).statusCode).toBe(404);
  });

  it('names the field at fault, including what the schema cannot say', async () => {
    const bad = async (body: object) =>
      (await send('POST', '/api/recipes', body)).json<{ error: { code: string; field?: string } }>()
        .error;
    expect(
      await bad({
        id: 'x',
        name: 'x',
        spec: { ...spec, walkForward: { ...spec.walkForward, step: 0 } },
      }),
    ).toMatchObject({ code: 'INVALID_INPUT', field: 'spec.walkForward.step' });
    expect(
      await bad({
        id: 'x',
        name: 'x',
        spec: { ...spec, model: { kind: 'ridge', gbdt: { maxIter: 10 } } },
      }),
    ).toMatchObject({ field: 'spec.model.gbdt' });
    expect(
      await bad({ id: 'x', name: 'x', spec: { ...spec, featureSet: 'nope@1' } }),
    ).toMatchObject({ field: 'spec.featureSet' });
    expect(
      await bad({
        id: 'x',
        name: 'x',
        spec: { ...spec, horizons: [1, 20], walkForward: { ...spec.walkForward, purge: 5 } },
      }),
    ).toMatchObject({ field: 'spec.walkForward.purge' });
    expect(await bad({ id: 'Not A Slug', name: 'x', spec })).toMatchObject({ field: 'id' });
  });

  it('trains and evaluates from a recipe; every run says which recipe version made it', async () => {
    const started = await send('POST', '/api/recipes/ridge-slide/runs', {
      tickers: ['^gspc'],
      action: 'train',
      version: 1,
    });
    expect(started.statusCode, started.body).toBe(202);
    const body = started.json<{ recipe: string; runs: { id: string; flow: string }[] }>();
    expect(body.recipe).toBe('ridge-slide@1');
    expect(body.runs).toHaveLength(1);
    const flowRun = await waitRun(body.runs[0]?.id ?? '');
    expect(flowRun.state, JSON.stringify(flowRun.error)).toBe('Completed');
    const runId = (flowRun.result as { runId: string }).runId;
    const run = (await get(`/api/runs/${runId}`)).json<{
      tags: Record<string, string>;
      params: Record<string, string>;
    }>();
    expect(run.tags['stockops.recipe']).toBe('ridge-slide@1');
    expect(run.params).toMatchObject({
      recipe: 'ridge-slide@1',
      model: 'ridge',
      'wf.window': 'sliding',
      'wf.initial_train': '500',
      'wf.embargo': '1',
    });
    expect((run.params['data.from'] ?? '') >= '2008-01-02').toBe(true);

    const evaluated = await send('POST', '/api/recipes/ridge-slide/runs', {
      tickers: ['^GSPC'],
      action: 'evaluate',
    });
    const ev = evaluated.json<{ recipe: string; runs: { id: string; flow: string }[] }>();
    expect(ev).toMatchObject({ recipe: 'ridge-slide@2', runs: [{ flow: 'evaluate' }] });
    expect((await waitRun(ev.runs[0]?.id ?? '')).state).toBe('Completed');

    const unknown = await send('POST', '/api/recipes/ridge-slide/runs', {
      tickers: ['NOPE'],
      action: 'train',
    });
    expect(unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_TICKER' } });
    // A raw flow start names a recipe version that does not exist: the run fails saying so.
    const missing = await send('POST', '/api/flows/train/runs', {
      ticker: '^GSPC',
      recipe: 'ridge-slide@9',
    });
    const failed = await waitRun(missing.json<{ id: string }>().id);
    expect(failed).toMatchObject({ state: 'Failed', error: { code: 'RECIPE_NOT_FOUND' } });
  });
});

describe('flows, overview and ticker details', () => {
  it("lists each flow's parameters as JSON Schema a form can be built from", async () => {
    const flows = (await get('/api/flows')).json<
      {
        name: string;
        required: string[];
        parameters: Record<
          string,
          { type?: string; anyOf?: { const: unknown }[]; default?: unknown }
        >;
      }[]
    >();
    const train = flows.find((f) => f.name === 'train');
    expect(train?.required).toEqual(['ticker']);
    expect(train?.parameters.horizon?.anyOf?.map((a) => a.const)).toEqual([1, 5, 20]);
    expect(train?.parameters.horizon?.default).toBe(1);
    expect(train?.parameters.ticker?.type).toBe('string');
    expect(Object.keys(train?.parameters ?? {})).not.toContain('actor');
    const etl = flows.find((f) => f.name === 'etl');
    expect(etl?.parameters.full).toMatchObject({ type: 'boolean', default: false });
    expect(etl?.parameters.tickers).toMatchObject({ type: 'array', items: { type: 'string' } });
  });

  it('answers flow starts with id and jobId, the same value', async () => {
    const res = (await send('POST', '/api/flows/bootstrap/runs', {})).json<{
      id: string;
      jobId: string;
    }>();
    expect(res.jobId).toBe(res.id);
    await waitRun(res.id);
  });

  it('gives the home page every ticker with last close, champions, forecast and last runs', async () => {
    const o = (await get('/api/overview')).json<{
      tickers: {
        symbol: string;
        exchange: string;
        currency: string;
        lastClose: number;
        champions: { horizon: number; champion: { kind: string; skill: number } | null }[];
        forecast: { horizon: number; predictedClose: number } | null;
      }[];
      lastTraining: { flow: string; state: string } | null;
    }>();
    const gspc = o.tickers.find((t) => t.symbol === '^GSPC');
    expect(gspc).toMatchObject({ exchange: 'Index', currency: 'USD', forecast: { horizon: 1 } });
    expect(gspc?.lastClose).toBeGreaterThan(0);
    expect(gspc?.champions.map((c) => c.horizon)).toEqual([1, 5, 20]);
    expect(gspc?.champions[0]?.champion).not.toBeNull();
    expect(o.lastTraining).toMatchObject({ flow: 'train' });
  });

  it("describes one ticker's data set, and 404s an unknown one", async () => {
    const d = (await get('/api/tickers/%5Egspc')).json<Record<string, unknown>>();
    expect(d).toMatchObject({ symbol: '^GSPC', exchange: 'Index', currency: 'USD', lastEtl: null });
    expect(d.rows).toBeGreaterThan(5000);
    expect((await get('/api/tickers/NOPE')).statusCode).toBe(404);
  });
});
