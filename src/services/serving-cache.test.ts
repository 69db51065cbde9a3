import { describe, expect, it } from 'vitest';
import {
  ArtifactNotFoundError,
  buildDataset,
  createModel,
  getFeatureSet,
  toSeries,
  type ModelVersion,
  type Registry,
  type Tracker,
} from '../core/index.js';
import { randomWalkBars, sym } from '../core/testing/index.js';
import type { DetailedPrediction } from './detailed-prediction.js';
import type { ServiceDeps } from './deps.js';
import { ServingCache } from './serving-cache.js';

const GSPC = sym('^GSPC');

/** Deps whose store reads are counted: one registered naive model, one ticker. */
function countedDeps(lastDate = '2020-04-17') {
  const bars = randomWalkBars(120, 3);
  const model = createModel('naive');
  model.fit(buildDataset(toSeries('X', bars), getFeatureSet('basic@1'), 1).labeled);
  const json = new TextEncoder().encode(JSON.stringify(model.toJSON()));
  const reads = { alias: 0, ticker: 0 };
  const state = { version: 1, lastDate };
  const version = (): ModelVersion => ({
    name: '^GSPC.h1',
    version: state.version,
    source: '',
    runId: `run${state.version}`,
    createdAt: 0,
    tags: {},
    aliases: ['champion'],
  });
  const deps = {
    registry: {
      getVersionByAlias: () => {
        reads.alias++;
        return Promise.resolve(version());
      },
    } as unknown as Registry,
    // No alias moves recorded: a version is served without a reason.
    aliasLog: { list: () => Promise.resolve([]) },
    tracker: {
      getArtifact: (_run: string, path: string) =>
        path === 'model/model.json'
          ? Promise.resolve(json)
          : Promise.reject(new ArtifactNotFoundError(path)),
      getRun: () => Promise.resolve(null),
    } as unknown as Tracker,
    prices: {
      getTicker: () => {
        reads.ticker++;
        return Promise.resolve({
          symbol: '^GSPC',
          firstDate: '2000-01-03',
          lastDate: state.lastDate,
          rows: 10,
        });
      },
    },
  } as unknown as ServiceDeps;
  return { deps, reads, state };
}

const fake = (asOf: string, version: number) =>
  ({ asOf, modelVersion: version }) as DetailedPrediction;

async function serve(cache: ServingCache, deps: ServiceDeps): Promise<DetailedPrediction> {
  const hit = cache.peek(GSPC, 1);
  if (hit) {
    return hit;
  }
  const [summary, served] = await Promise.all([
    cache.summary(deps, GSPC),
    cache.champion(deps, GSPC, 1),
  ]);
  const { prediction } = await cache.forecast(GSPC, 1, served, summary.lastDate, () =>
    Promise.resolve(fake(summary.lastDate, served.version)),
  );
  return prediction;
}

describe('ServingCache', () => {
  it('answers from memory while the champion and last bar date are fresh, and re-reads them after recheckMs', async () => {
    let now = 0;
    const { deps, reads, state } = countedDeps();
    const cache = new ServingCache({ recheckMs: 1000, now: () => now });
    expect(await serve(cache, deps)).toEqual(fake('2020-04-17', 1));
    now = 999;
    await serve(cache, deps);
    expect(reads).toEqual({ alias: 1, ticker: 1 });
    // Another replica moved the alias: seen once the facts are due, never later.
    state.version = 2;
    now = 1000;
    expect((await serve(cache, deps)).modelVersion).toBe(2);
    expect(reads).toEqual({ alias: 2, ticker: 2 });
  });

  it('drops what an invalidation names at once, whatever the recheck interval', async () => {
    const { deps, reads, state } = countedDeps();
    const cache = new ServingCache({ recheckMs: 60_000, now: () => 0 });
    await serve(cache, deps);
    state.lastDate = '2020-04-20';
    expect((await serve(cache, deps)).asOf).toBe('2020-04-17');
    cache.invalidate({ kind: 'bars', ticker: '^GSPC' });
    expect((await serve(cache, deps)).asOf).toBe('2020-04-20');
    state.version = 3;
    cache.invalidate({ kind: 'champion', model: '^GSPC.h1' });
    expect((await serve(cache, deps)).modelVersion).toBe(3);
    expect(reads).toEqual({ alias: 2, ticker: 2 });
  });

  it('trusts its facts for the longer backstop while a shared bus is listening', async () => {
    let now = 0;
    let listening = true;
    const { deps, reads } = countedDeps();
    const cache = new ServingCache({
      recheckMs: 1000,
      listeningRecheckMs: 60_000,
      listening: () => listening,
      now: () => now,
    });
    await serve(cache, deps);
    now = 30_000;
    await serve(cache, deps);
    expect(reads.alias).toBe(1);
    listening = false;
    await serve(cache, deps);
    expect(reads.alias).toBe(2);
  });

  it('gives the requests that arrive in one turn of the event loop one bars read, even from a store that answers at once', async () => {
    let reads = 0;
    const deps = {
      prices: {
        // An embedded database answers within the same turn: nothing is in flight for long.
        getBars: () => {
          reads++;
          return Promise.resolve(randomWalkBars(5, 1));
        },
      },
    } as unknown as ServiceDeps;
    const cache = new ServingCache({ enabled: false });
    const first = cache.bars(deps, GSPC, '2020-01-01');
    // Requests parsed after the first one's microtasks have run, still in the same turn.
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
    }
    const second = cache.bars(deps, GSPC, '2020-01-01');
    const other = cache.bars(deps, GSPC, '2019-01-01');
    expect(await second).toBe(await first);
    await other;
    expect(reads).toBe(2);
    // Nothing is kept: the next turn reads again.
    await cache.bars(deps, GSPC, '2020-01-01');
    expect(reads).toBe(3);
  });

  it('computes every time when disabled, and keeps nothing', async () => {
    const { deps } = countedDeps();
    const cache = new ServingCache({ enabled: false });
    let computed = 0;
    for (let i = 0; i < 3; i++) {
      const served = await cache.champion(deps, GSPC, 1);
      await cache.forecast(GSPC, 1, served, '2020-04-17', () => {
        computed++;
        return Promise.resolve(fake('2020-04-17', 1));
      });
      expect(cache.peek(GSPC, 1)).toBeUndefined();
    }
    expect(computed).toBe(3);
    expect(cache.size().forecasts).toBe(0);
  });
});
