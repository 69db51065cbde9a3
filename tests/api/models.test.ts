// Manual champion moves over HTTP on the embedded stores: guarded by the API key, validated, audited, served at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainModel } from '../../src/services/index.js';
import { sym } from '../../src/core/testing/index.js';
import { harness, type Harness } from './harness.js';

describe('POST /api/models/{name}/aliases/champion', () => {
  let h: Harness;
  const url = `/api/models/${encodeURIComponent('^GSPC.h1')}/aliases/champion`;
  const headers = { 'x-api-key': 'k' };

  beforeAll(async () => {
    h = await harness({ apiKey: 'k', horizons: [1] });
    // The first start registered naive (v1) and ridge (v2, champion: it beats naive at h = 1). A
    // second naive version does not beat the champion, so the gate keeps it challenger.
    const r = await trainModel(h.rt.services, { ticker: sym('^GSPC'), model: 'naive', horizon: 1 });
    expect(r).toMatchObject({ modelVersion: 3, promoted: false });
    expect(r.decision).toMatch(/^not promoted: champion v2 \(RMSE .*\) beats naive/);
  });

  afterAll(async () => {
    await h.close();
  });

  it('needs the API key and a reason, and answers 404 for an unknown version', async () => {
    expect(
      (await h.app.inject({ method: 'POST', url, payload: { version: 3, reason: 'x' } }))
        .statusCode,
    ).toBe(401);
    const noReason = await h.app.inject({ method: 'POST', url, headers, payload: { version: 3 } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ error: { field: 'reason' } });
    const unknown = await h.app.inject({
      method: 'POST',
      url,
      headers,
      payload: { version: 9, reason: 'x' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('moves champion, records who and why, and prediction follows on the next request', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url,
      headers,
      payload: { version: 3, reason: 'compare naive live' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ fromVersion: 2, toVersion: 3 });
    const p = await h.app.inject({ url: '/api/predict?ticker=%5EGSPC&horizon=1' });
    expect(p.json()).toMatchObject({
      modelVersion: 3,
      model: { kind: 'naive', servedBecause: 'manual: compare naive live' },
    });
    const back = await h.app.inject({
      method: 'POST',
      url,
      headers,
      payload: { version: 2, reason: 'roll back' },
    });
    expect(back.json()).toMatchObject({ fromVersion: 3, toVersion: 2 });
    const log = (
      await h.app.inject({ url: `/api/models/${encodeURIComponent('^GSPC.h1')}/history` })
    )
      .json<{ alias: string; actor: string; reason: string; fromVersion: number }[]>()
      .slice(0, 2);
    expect(log).toMatchObject([
      { alias: 'champion', actor: 'api', reason: 'manual: roll back', fromVersion: 3 },
      { alias: 'champion', actor: 'api', reason: 'manual: compare naive live', fromVersion: 2 },
    ]);
  });

  it('serves per-fold metric history of a run', async () => {
    const runs = (await h.app.inject({ url: '/api/runs?ticker=%5EGSPC' })).json<{ id: string }[]>();
    const id = runs[0]?.id ?? '';
    const res = await h.app.inject({ url: `/api/runs/${id}/metrics/fold_rmse` });
    expect(res.statusCode).toBe(200);
    const points = res.json<{ step: number }[]>();
    expect(points.length).toBeGreaterThan(3);
    expect(points.map((p) => p.step)).toEqual([...points.map((p) => p.step)].sort((a, b) => a - b));
  });
});
