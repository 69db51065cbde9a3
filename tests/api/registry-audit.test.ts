// What an auditor asks the registry over HTTP, on the embedded stores: which version served at a past time, which data set (and ETL run) each version was trained on, and the monitoring reference each training stores beside its model.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChampionAt, RegisteredModelInfo } from '../../src/api/index.js';
import type { MonitoringReference } from '../../src/core/index.js';
import { sym } from '../../src/core/testing/index.js';
import {
  MONITORING_REFERENCE_ARTIFACT,
  readVersionReference,
  runEtl,
  trainModel,
} from '../../src/services/index.js';
import { harness, type Harness } from './harness.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'yahoo');
const NAME = encodeURIComponent('^GSPC.h1');

describe('registry audit', () => {
  let h: Harness;
  let bootstrappedAt: number;
  let bootChampion: number;
  let etlRunId: string;
  let latest: number;

  beforeAll(async () => {
    h = await harness({ apiKey: 'k', env: { PRICE_SOURCE_URL: `file://${FIXTURES}` } });
    bootstrappedAt = Date.now();
    // The bootstrap registered naive (v1, the floor) and ridge (v2, champion only if it beat naive).
    bootChampion =
      (await h.rt.services.registry.getVersionByAlias('^GSPC.h1', 'champion'))?.version ?? 0;
    // Recorded Yahoo bars of 2020-07..09 after the bundled sample (which ends 2020-04-17), then a version on them.
    const etl = await runEtl(h.rt.etl, { tickers: [sym('^GSPC')] });
    expect(etl.status).toBe('completed');
    etlRunId = etl.id;
    const r = await trainModel(h.rt.services, { ticker: sym('^GSPC'), model: 'naive', horizon: 1 });
    expect(r.modelVersion).toBe(3);
    latest = r.modelVersion;
  });

  afterAll(async () => {
    await h.close();
  });

  it('shows each version with the data set it was trained on: digest, date range, rows and ETL run', async () => {
    const models = (await h.app.inject({ url: '/api/models' })).json<RegisteredModelInfo[]>();
    const versions = models.find((m) => m.name === '^GSPC.h1')?.versions ?? [];
    const v1 = versions.find((v) => v.version === 1);
    const v3 = versions.find((v) => v.version === latest);
    // The bootstrap trained on the imported sample: no ETL run loaded it.
    expect(v1?.dataset).toMatchObject({ from: '2000-01-03', to: '2020-04-17', etlRunId: null });
    expect(v1?.dataset?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(v3?.dataset).toMatchObject({ from: '2000-01-03', to: '2020-09-30', etlRunId });
    expect(v3?.dataset?.rows).toBe((v1?.dataset?.rows ?? 0) + 64);
    expect(v3?.dataset?.digest).not.toBe(v1?.dataset?.digest);
  });

  it('answers which version served at a past time, and nothing before the first champion move', async () => {
    const before = await h.app.inject({ url: `/api/models/${NAME}/champion-at?time=2001-01-01` });
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json<ChampionAt>()).toMatchObject({ version: null, move: null });
    expect(before.json<ChampionAt>().note).toMatch(/^no champion yet: the first champion move/);

    const moved = await h.app.inject({
      method: 'POST',
      url: `/api/models/${NAME}/aliases/champion`,
      headers: { 'x-api-key': 'k' },
      payload: { version: latest, reason: 'audit test' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const afterMove = Date.now();

    const atBoot = (
      await h.app.inject({ url: `/api/models/${NAME}/champion-at?time=${bootstrappedAt}` })
    ).json<ChampionAt>();
    expect(atBoot).toMatchObject({
      version: bootChampion,
      move: { toVersion: bootChampion, actor: 'bootstrap' },
    });
    const now = (
      await h.app.inject({
        url: `/api/models/${NAME}/champion-at?time=${new Date(afterMove + 1).toISOString()}`,
      })
    ).json<ChampionAt>();
    expect(now).toMatchObject({
      version: latest,
      kind: 'naive',
      move: { reason: 'manual: audit test' },
    });
  });

  it('refuses a time it cannot read and an unknown model', async () => {
    const bad = await h.app.inject({ url: `/api/models/${NAME}/champion-at?time=yesterday` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'time' } });
    const missing = await h.app.inject({ url: `/api/models/${NAME}/champion-at` });
    expect(missing.statusCode).toBe(400);
    const unknown = await h.app.inject({ url: '/api/models/NOPE.h1/champion-at?time=0' });
    expect(unknown.statusCode).toBe(404);
  });

  it('stores a monitoring reference beside each trained model: a bounded sample, the target, both kinds of predictions and the thresholds', async () => {
    const v = await h.rt.services.registry.getVersion('^GSPC.h1', latest);
    const bytes = await h.rt.services.tracker.getArtifact(v.runId, MONITORING_REFERENCE_ARTIFACT);
    expect(bytes.byteLength).toBeLessThan(4 * 1024 * 1024);
    const ref = (await readVersionReference(h.rt.services, v.runId)) as MonitoringReference;
    expect(ref).toMatchObject({
      ticker: '^GSPC',
      horizon: 1,
      model: 'naive',
      featureSet: 'alpha@1',
      sample: { method: 'evenly-spaced', rows: 1000 },
      thresholds: { minSamples: 30, driftShare: 0.5, psi: true },
    });
    expect(ref.training.to).toBe('2020-09-29');
    expect(Object.keys(ref.features.columns)).toHaveLength(78);
    expect(ref.target.n).toBe(1000);
    expect(ref.predictions.outOfSample.n).toBeGreaterThan(100);
    // Naive forecasts a zero return: one value, however many rows.
    expect(ref.predictions.inSample).toMatchObject({ n: 1000, distinct: 1 });
  });
});
