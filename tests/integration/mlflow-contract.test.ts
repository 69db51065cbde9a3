// Real: an MLflow server (scripts/services/mlflow.sh). The Tracker and Registry contracts on the MLflow adapters,
// plus the REST client's own duties: log-batch limits, retries, error codes and basic auth.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  LOG_BATCH_LIMITS,
  MlflowClient,
  MlflowRegistry,
  MlflowTracker,
} from '../../src/stores/mlflow/index.js';
import { SqlAliasLog } from '../../src/stores/sql/index.js';
import { aliasLogContract } from '../contract/alias-log.contract.js';
import { registryContract } from '../contract/registry.contract.js';
import { freshDb } from '../helpers.js';
import { trackerContract } from '../contract/tracker.contract.js';
import { mlflowEnv, requireUp, uniquePrefix } from './mlflow-env.js';

const { MLFLOW_TRACKING_URI: uri } = mlflowEnv();
const client = (extra: Partial<ConstructorParameters<typeof MlflowClient>[0]> = {}) =>
  new MlflowClient({ trackingUri: uri, ...extra });

beforeAll(async () => {
  await requireUp(`${uri}/health`, 'scripts/services/mlflow.sh');
});

trackerContract('MLflow', () =>
  Promise.resolve(new MlflowTracker(client(), { namePrefix: uniquePrefix('tc') })),
);
registryContract('MLflow', () =>
  Promise.resolve(new MlflowRegistry(client(), { namePrefix: uniquePrefix('rc') })),
);
// MLflow keeps no alias history: the SQL log records each move first and confirms it after MLflow moved the alias.
aliasLogContract('MLflow registry, audit log in SQL', async () => ({
  registry: new MlflowRegistry(client(), { namePrefix: uniquePrefix('al') }),
  log: new SqlAliasLog(await freshDb()),
  separate: true,
}));

describe('MlflowClient against a real server', () => {
  it('splits log-batch to MLflow limits and stores every metric, param and tag', async () => {
    const c = client();
    const exp = await c.getOrCreateExperiment(`${uniquePrefix('lb')}batch`);
    const run = await c.createRun({
      experimentId: exp.experiment_id,
      runName: 'batch',
      startTime: Date.now(),
    });
    const id = run.info.run_id;
    const metrics = Array.from({ length: 2500 }, (_, i) => ({
      key: 'm',
      value: i,
      step: i,
      timestamp: 1000 + i,
    }));
    const params = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    const tags = Array.from({ length: 150 }, (_, i) => ({ key: `t${i}`, value: String(i) }));
    const requests = await c.logBatch(id, { metrics, params, tags });
    expect(requests).toBe(
      Math.ceil(2500 / LOG_BATCH_LIMITS.metrics) +
        Math.ceil(250 / LOG_BATCH_LIMITS.params) +
        Math.ceil(150 / LOG_BATCH_LIMITS.tags),
    );
    expect(await c.getMetricHistory(id, 'm')).toHaveLength(2500);
    const got = await c.getRun(id);
    expect(got.data?.params).toHaveLength(250);
    expect(got.data?.tags?.filter((t) => /^t\d+$/.test(t.key))).toHaveLength(150);
  });

  it('retries idempotent calls after a dropped connection, with backoff', async () => {
    let failures = 2;
    const flaky: typeof fetch = (input, init) => {
      if (failures > 0) {
        failures--;
        return Promise.reject(new TypeError('fetch failed', { cause: new Error('ECONNRESET') }));
      }
      return fetch(input, init);
    };
    const c = client({ fetch: flaky, backoffMs: 5 });
    expect(await c.getExperimentByName(`${uniquePrefix('rt')}none`)).toBeNull();
    expect(failures).toBe(0);
  });

  it('does not repeat a create after an unknown outcome', async () => {
    let calls = 0;
    const dropping: typeof fetch = () => {
      calls++;
      return Promise.reject(new TypeError('fetch failed', { cause: new Error('ECONNRESET') }));
    };
    const c = client({ fetch: dropping, backoffMs: 5 });
    await expect(c.createExperiment('x')).rejects.toMatchObject({ code: 'STORE_BUSY' });
    expect(calls).toBe(1);
  });

  it('turns MLflow error codes into stockops errors', async () => {
    const tracker = new MlflowTracker(client(), { namePrefix: uniquePrefix('er') });
    await expect(tracker.getRun('f'.repeat(32))).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    const reg = new MlflowRegistry(client(), { namePrefix: uniquePrefix('er') });
    await expect(reg.getVersion('nope.h1', 1)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(await reg.getVersionByAlias('nope.h1', 'champion')).toBeNull();
  });

  it('sends basic auth from the configured user and password', async () => {
    const seen: string[] = [];
    const spy: typeof fetch = (input, init) => {
      seen.push(new Headers(init?.headers).get('authorization') ?? '');
      return fetch(input, init);
    };
    const c = client({ fetch: spy, username: 'ann', password: 's3cret' });
    await c.getExperimentByName('Default');
    expect(seen[0]).toBe(`Basic ${Buffer.from('ann:s3cret').toString('base64')}`);
  });

  it('waits for a model version to be READY and resolves aliases', async () => {
    const c = client();
    const name = `${uniquePrefix('mv')}m`;
    await c.createRegisteredModel(name);
    const mv = await c.createModelVersion({ name, source: 'runs:/abc/model', runId: 'abc' });
    expect(mv.status).toBe('READY');
    await c.setAlias(name, 'champion', mv.version);
    expect((await c.getVersionByAlias(name, 'champion'))?.version).toBe(mv.version);
    await c.deleteAlias(name, 'champion');
    expect(await c.getVersionByAlias(name, 'champion')).toBeNull();
  });
});
