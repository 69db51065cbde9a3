// Real: an MLflow server (scripts/services/mlflow.sh), the embedded SQL store and the bundled S&P 500 sample.
// Training with MLflow selected leaves a run, a registered version and aliases that MLflow's own REST API shows,
// prediction serves the champion (naive is the floor), a worse challenger is not promoted, and a manual rollback is audited.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeSymbol } from '../../src/core/index.js';
import { sym } from '../../src/core/testing/index.js';
import { loadConfig } from '../../src/config/index.js';
import { bootstrap, predict, trainModel } from '../../src/services/index.js';
import { openRuntime, type Runtime } from '../../src/runtime/index.js';
import { buildServer } from '../../src/server/index.js';
import { bundledSample } from '../../src/stores/index.js';
import { mlflowEnv, requireUp, uniquePrefix } from './mlflow-env.js';

const { MLFLOW_TRACKING_URI: uri } = mlflowEnv();
const prefix = uniquePrefix('e2e');

/** MLflow's own REST API, read directly: what an MLflow user would see. */
async function mlflow<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${uri}/api/2.0/mlflow/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

interface RestRun {
  info: { run_id: string; status: string; artifact_uri: string };
  data: { params?: { key: string; value: string }[]; tags?: { key: string; value: string }[] };
  inputs?: { dataset_inputs?: { dataset: { name: string; digest: string } }[] };
}

describe('training with MLflow as the tracking and registry backend', () => {
  let rt: Runtime;

  beforeAll(async () => {
    await requireUp(`${uri}/health`, 'scripts/services/mlflow.sh');
    const config = loadConfig({
      STOCKOPS_HOME: mkdtempSync(join(tmpdir(), 'stockops-mlflow-')),
      DATABASE_URL: 'pglite://memory',
      MLFLOW_TRACKING_URI: uri,
      STOCKOPS_MLFLOW_PREFIX: prefix,
      LOG_LEVEL: 'silent',
    });
    rt = await openRuntime(config, 'server');
    // h = 1 only: naive (v1, the floor) and ridge (v2, which beats naive on the gate window).
    await bootstrap(rt.services, bundledSample, [1]);
  });

  afterAll(async () => {
    await rt.close();
  });

  it('creates a run with params, per-fold metrics, the dataset input and the model artifact', async () => {
    const name = `${prefix}^GSPC.h1`;
    const { experiment } = await mlflow<{ experiment: { experiment_id: string } }>(
      `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
    );
    const { runs } = await mlflow<{ runs: RestRun[] }>('runs/search', {
      experiment_ids: [experiment.experiment_id],
      max_results: 10,
    });
    // Bootstrap tracks and registers naive and ridge; the gate picks the champion.
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const { model_version: champion } = await mlflow<{ model_version: { run_id: string } }>(
      `registered-models/alias?name=${encodeURIComponent(name)}&alias=champion`,
    );
    const { run } = await mlflow<{ run: RestRun }>(`runs/get?run_id=${champion.run_id}`);
    expect(runs.map((r) => r.info.run_id)).toContain(run.info.run_id);
    expect(run.info.status).toBe('FINISHED');
    const params = Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]));
    expect(params).toMatchObject({ horizon: '1', 'data.from': '2000-01-03' });
    const history = await mlflow<{ metrics: { step: number }[] }>(
      `metrics/get-history?run_id=${run.info.run_id}&metric_key=fold_rmse`,
    );
    expect(history.metrics.length).toBeGreaterThan(3);
    expect(new Set(history.metrics.map((m) => m.step)).size).toBe(history.metrics.length);
    expect(run.inputs?.dataset_inputs?.[0]?.dataset.name).toBe('^GSPC daily bars');
    const artifactPath = run.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '');
    const model = await fetch(
      `${uri}/api/2.0/mlflow-artifacts/artifacts/${artifactPath}/model/model.json`,
    );
    expect(model.status).toBe(200);
    expect(((await model.json()) as { kind: string }).kind).toMatch(/naive|ridge/);
  });

  it('registers a version with the champion alias, and prediction serves it', async () => {
    const name = encodeURIComponent(`${prefix}^GSPC.h1`);
    const { model_version: champion } = await mlflow<{
      model_version: { version: string; run_id: string; status: string };
    }>(`registered-models/alias?name=${name}&alias=champion`);
    expect(champion).toMatchObject({ version: '2', status: 'READY' });
    const p = await predict(rt.services, rt.serving, {
      ticker: normalizeSymbol('^GSPC'),
      horizon: 1,
    });
    expect(p.modelVersion).toBe(2);
    expect(p.model.servedBecause).toMatch(/^promoted: RMSE .* beats naive .* \(champion v1\)/);
    expect(p.model.runId).toBe(champion.run_id);
  });

  it('keeps a challenger that does not beat the champion out of champion, and the audit log says why', async () => {
    const r = await trainModel(rt.services, {
      ticker: sym('^GSPC'),
      model: 'naive',
      horizon: 1,
      actor: 'test',
    });
    expect(r.modelVersion).toBe(3);
    expect(r.promoted).toBe(false);
    expect(r.decision).toMatch(/^not promoted: champion v2 \(RMSE .*\) beats naive/);
    const name = `${prefix}^GSPC.h1`;
    const { model_version: challenger } = await mlflow<{ model_version: { version: string } }>(
      `registered-models/alias?name=${encodeURIComponent(name)}&alias=challenger`,
    );
    expect(challenger.version).toBe('3');
    const log = await rt.services.aliasLog.list('^GSPC.h1');
    expect(log[0]).toMatchObject({ alias: 'challenger', toVersion: 3, actor: 'test' });
    expect(log[0]?.reason).toMatch(/beats naive/);
    expect(log[0]?.metrics).toHaveProperty('rmse_naive');
    const run = await rt.services.tracker.getRun(r.runId);
    expect(run.tags['stockops.promotion.decision']).toBe(r.decision);
  });

  it('rolls champion back and forth by hand through the API, and serving follows at once', async () => {
    const app = await buildServer({
      services: rt.services,
      flows: rt.flows,
      queue: rt.queue,
      metrics: rt.metrics,
      serving: rt.serving,
      apiKey: 'k',
      webRoot: null,
    });
    try {
      const url = `/api/models/${encodeURIComponent('^GSPC.h1')}/aliases/champion`;
      const denied = await app.inject({
        method: 'POST',
        url,
        payload: { version: 3, reason: 'x' },
      });
      expect(denied.statusCode).toBe(401);
      const moved = await app.inject({
        method: 'POST',
        url,
        headers: { 'x-api-key': 'k' },
        payload: { version: 3, reason: 'manual check of version 3' },
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toMatchObject({ fromVersion: 2, toVersion: 3 });
      const p = await app.inject({ url: '/api/predict?ticker=%5EGSPC&horizon=1' });
      expect(p.json<{ modelVersion: number }>().modelVersion).toBe(3);
      const missing = await app.inject({
        method: 'POST',
        url,
        headers: { 'x-api-key': 'k' },
        payload: { version: 99, reason: 'no such version' },
      });
      expect(missing.statusCode).toBe(404);
      const history = await app.inject({
        url: `/api/models/${encodeURIComponent('^GSPC.h1')}/history`,
      });
      expect(history.json<{ actor: string; reason: string }[]>()[0]).toMatchObject({
        actor: 'api',
        reason: 'manual: manual check of version 3',
      });
    } finally {
      await app.close();
    }
  });
});
