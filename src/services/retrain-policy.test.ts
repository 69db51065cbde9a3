// applyRetrainPolicy on the SQL stores: the facts it gathers from earlier retrains (running, queued, failed in a row), latest-wins collapsing, the stop after repeated failures and what resumes it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshDb } from '../../tests/helpers.js';
import { DEFAULT_RETRAIN_POLICY, type FlowRunState, type TickerSymbol } from '../core/index.js';
import { FileArtifactStore } from '../stores/artifacts/index.js';
import {
  SqlAlertStore,
  SqlAliasLog,
  SqlApprovalStore,
  SqlRealisedAccuracyStore,
  SqlFlowStore,
  SqlMonitoringReportStore,
  SqlPriceStore,
  SqlQuarantineCounts,
  SqlRegistry,
  SqlRetrainDecisionStore,
  SqlRetrainPolicyStore,
  SqlTracker,
} from '../stores/sql/index.js';
import type { ServiceDeps } from './deps.js';
import type { ServedModel } from './monitor.js';
import { applyRetrainPolicy, putRetrainPolicy, type StartRetrain } from './retrain-policy.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2008, 9, 1);

let deps: ServiceDeps & { monitorStores: NonNullable<ServiceDeps['monitorStores']> };
let model: ServedModel;
let flows: SqlFlowStore;
let started: { parameters: Parameters<StartRetrain>[0]; key: string }[];
let n = 0;

/** Starts runs in the flow store only (nothing executes them), in the state a test needs next. */
const start: StartRetrain = async (parameters, key) => {
  started.push({ parameters, key });
  const { run } = await flows.createRun({
    id: `train-${++n}`,
    flow: 'train',
    parameters,
    state: 'Queued',
  });
  return run.id;
};

async function setState(id: string, state: FlowRunState, endedAt = Date.now()): Promise<void> {
  await flows.finishRun(id, null, { state, endedAt });
}

/** Age rule: the champion is 100 days old at `now`, so every decision wants a retrain. */
const decide = (now: number) => {
  deps.now = () => new Date(now);
  return applyRetrainPolicy(deps, model, { reportId: null, monitorRunId: null, start });
};

beforeEach(async () => {
  const db = await freshDb();
  flows = new SqlFlowStore(db);
  started = [];
  n = 0;
  const registry = new SqlRegistry(db);
  await registry.ensureModel('^GSPC.h1');
  const v = await registry.createVersion({
    name: '^GSPC.h1',
    source: 'runs:/r/model',
    runId: 'r',
    tags: { kind: 'ridge' },
  });
  model = {
    name: '^GSPC.h1',
    ticker: '^GSPC' as TickerSymbol,
    horizon: 1,
    champion: { ...v, createdAt: T0 - 100 * DAY },
  };
  deps = {
    prices: new SqlPriceStore(db),
    tracker: new SqlTracker(db, new FileArtifactStore(mkdtempSync(join(tmpdir(), 'rp-')))),
    registry,
    aliasLog: new SqlAliasLog(db),
    retrainPolicy: { ...DEFAULT_RETRAIN_POLICY, cooldownDays: 7, maxFailures: 2 },
    monitorStores: {
      reports: new SqlMonitoringReportStore(db),
      decisions: new SqlRetrainDecisionStore(db),
      policy: new SqlRetrainPolicyStore(db),
      alerts: new SqlAlertStore(db),
      runs: flows,
      quarantine: new SqlQuarantineCounts(db),
      approvals: new SqlApprovalStore(db),
      realised: new SqlRealisedAccuracyStore(db),
    },
  };
});

describe('applyRetrainPolicy', () => {
  it("starts a train run of the champion's kind by the policy, and records which", async () => {
    const { decision } = await decide(T0);
    expect(decision).toMatchObject({ retrain: true, rule: 'age', trainRunId: 'train-1' });
    expect(started[0]?.parameters).toEqual({
      ticker: '^GSPC',
      model: 'ridge',
      horizon: 1,
      actor: 'retrain-policy',
    });
  });

  it('collapses retrains queued for the same model into one: the latest wins, the queued one is cancelled', async () => {
    await decide(T0);
    const { decision, replaced } = await decide(T0 + 60_000);
    expect(replaced).toBe('train-1');
    expect(decision).toMatchObject({ retrain: true, trainRunId: 'train-2' });
    expect(decision.reason).toMatch(/replaces retrain train-1, still queued/);
    expect((await flows.getRun('train-1'))?.state).toBe('Cancelled');
    expect((await flows.getRun('train-2'))?.state).toBe('Queued');
  });

  it('never retrains while a retrain of the model runs, nor inside the cooldown after it', async () => {
    await decide(T0);
    await flows.claimRun('train-1', 'w', Date.now(), 60_000);
    expect((await decide(T0 + DAY)).decision).toMatchObject({
      retrain: false,
      suppressedBy: 'running',
    });
    await setState('train-1', 'Completed');
    expect((await decide(T0 + 2 * DAY)).decision).toMatchObject({
      retrain: false,
      suppressedBy: 'cooldown',
    });
    expect((await decide(T0 + 8 * DAY)).decision.retrain).toBe(true);
  });

  it('stops for the model after N failed retrains in a row, until the settings are saved again', async () => {
    await decide(T0);
    await setState('train-1', 'Failed');
    await decide(T0 + 8 * DAY);
    await setState('train-2', 'Failed');
    const stopped = await decide(T0 + 16 * DAY);
    expect(stopped.decision).toMatchObject({ retrain: false, suppressedBy: 'failures' });
    expect(stopped.decision.numbers).toMatchObject({ consecutiveFailures: 2, maxFailures: 2 });
    await putRetrainPolicy(deps, { maxPerDay: 5 }, 'ops');
    expect((await decide(T0 + 17 * DAY)).decision.retrain).toBe(true);
  });

  it('resumes after a successful training of the model that ended after the last failure', async () => {
    await decide(T0);
    await setState('train-1', 'Failed', Date.now() - 10_000);
    await decide(T0 + 8 * DAY);
    await setState('train-2', 'Failed', Date.now() - 5_000);
    expect((await decide(T0 + 16 * DAY)).decision.suppressedBy).toBe('failures');
    const { run } = await flows.createRun({
      id: 'manual',
      flow: 'train',
      parameters: { ticker: '^GSPC', model: 'ridge', horizon: 1, actor: 'api' },
      state: 'Queued',
    });
    await setState(run.id, 'Completed');
    expect((await decide(T0 + 17 * DAY)).decision.retrain).toBe(true);
  });

  it('caps the retrains of all models in any 24 hours', async () => {
    deps.retrainPolicy = { ...DEFAULT_RETRAIN_POLICY, maxPerDay: 1 };
    await decide(T0);
    await setState('train-1', 'Completed');
    const other = { ...model, name: 'AAPL.h1', ticker: 'AAPL' as TickerSymbol };
    deps.now = () => new Date(T0 + 1000);
    const { decision } = await applyRetrainPolicy(deps, other, {
      reportId: null,
      monitorRunId: null,
      start,
    });
    expect(decision).toMatchObject({ retrain: false, suppressedBy: 'daily-limit' });
  });
});
