// The approval step on the SQL stores: a retrain's promotion held (champion unchanged, the hold in the alias log), then approved (the gate runs again and moves champion), rejected, or settled by its timeout.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshDb } from '../../tests/helpers.js';
import { DEFAULT_RETRAIN_POLICY, type WalkForwardReport } from '../core/index.js';
import { FileArtifactStore } from '../stores/artifacts/index.js';
import {
  SqlAlertStore,
  SqlAliasLog,
  SqlApprovalStore,
  SqlRealisedAccuracyStore,
  SqlFlowStore,
  SqlModelLocks,
  SqlMonitoringReportStore,
  SqlPriceStore,
  SqlQuarantineCounts,
  SqlRegistry,
  SqlRetrainDecisionStore,
  SqlRetrainPolicyStore,
  SqlTracker,
} from '../stores/sql/index.js';
import { approvePromotion, expireApprovals, PENDING_ALIAS, rejectPromotion } from './approvals.js';
import type { ServiceDeps } from './deps.js';
import { gateVersion } from './promotion-lock.js';
import { RETRAIN_ACTOR } from './retrain-policy.js';

const M = 'T.h1';
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 2);

/** A walk-forward report of 60 dated rows whose forecasts miss the realised return by `miss` of it. */
const report = (miss: number): WalkForwardReport =>
  ({
    options: { step: 50 },
    folds: [{ testStart: 10, testEnd: 60 }],
    predictions: Array.from({ length: 60 }, (_, i) => {
      const actual = (i % 2 === 0 ? 1 : -1) * 0.01 * (1 + (i % 7));
      return {
        date: `2023-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        actual,
        predicted: actual * (1 - miss),
      };
    }),
  }) as unknown as WalkForwardReport;

let deps: ServiceDeps;

/** A tracked run with its report, registered as the next version of M. */
async function version(kind: string, miss: number) {
  const e = await deps.tracker.getOrCreateExperiment(M);
  const run = await deps.tracker.createRun({ experimentId: e.id, name: kind });
  const r = report(miss);
  await deps.tracker.logArtifact(
    run.id,
    'evaluation/report.json',
    new TextEncoder().encode(JSON.stringify(r)),
  );
  const v = await deps.registry.createVersion({
    name: M,
    source: `runs:/${run.id}/model`,
    runId: run.id,
    tags: { kind },
  });
  return { v, trained: { runId: run.id, report: r } };
}

const champion = async () => (await deps.registry.getVersionByAlias(M, 'champion'))?.version;

beforeEach(async () => {
  const db = await freshDb();
  const policy = new SqlRetrainPolicyStore(db);
  await policy.save({ ...DEFAULT_RETRAIN_POLICY, approval: true, approvalTimeoutHours: 2 }, 't', 0);
  deps = {
    prices: new SqlPriceStore(db),
    tracker: new SqlTracker(db, new FileArtifactStore(mkdtempSync(join(tmpdir(), 'appr-')))),
    registry: new SqlRegistry(db),
    aliasLog: new SqlAliasLog(db),
    modelLocks: new SqlModelLocks(db, 20),
    now: () => new Date(T0),
    monitorStores: {
      reports: new SqlMonitoringReportStore(db),
      decisions: new SqlRetrainDecisionStore(db),
      policy,
      alerts: new SqlAlertStore(db),
      runs: new SqlFlowStore(db),
      quarantine: new SqlQuarantineCounts(db),
      approvals: new SqlApprovalStore(db),
      realised: new SqlRealisedAccuracyStore(db),
    },
  };
  await deps.registry.ensureModel(M);
  const naive = await version('naive', 1);
  // The naive floor: champion, promoted by anyone but the policy, so never held.
  await gateVersion(deps, naive.v, naive.trained, 'bootstrap');
  expect(await champion()).toBe(1);
});

describe('approval step', () => {
  it("holds a retrain's promotion: challenger moves, champion stays, the hold is in the alias log", async () => {
    const { v, trained } = await version('ridge', 0.5);
    const gate = await gateVersion(deps, v, trained, RETRAIN_ACTOR);
    expect(gate).toMatchObject({ promoted: false, held: true, outcome: 'promote' });
    expect(gate.decision).toMatch(/^held for approval: promoted: RMSE .* \(approval 1\)$/);
    expect(await champion()).toBe(1);
    expect((await deps.registry.getVersionByAlias(M, 'challenger'))?.version).toBe(2);
    const [hold] = await deps.aliasLog.list(M);
    expect(hold).toMatchObject({ alias: PENDING_ALIAS, fromVersion: 1, toVersion: 2 });
    // A training started by a person is never held.
    const manual = await version('ridge', 0.4);
    expect((await gateVersion(deps, manual.v, manual.trained, 'api')).promoted).toBe(true);
  });

  it('promotes on approval, the gate deciding again against the champion of now', async () => {
    const { v, trained } = await version('ridge', 0.5);
    await gateVersion(deps, v, trained, RETRAIN_ACTOR);
    const a = await approvePromotion(deps, 1, 'ops');
    expect(a).toMatchObject({ state: 'approved', decidedBy: 'ops', decidedAt: T0 });
    expect(a.outcome).toMatch(/^approved by ops; promoted: /);
    expect(await champion()).toBe(2);
    const [cleared, moved] = await deps.aliasLog.list(M);
    expect(cleared).toMatchObject({
      alias: PENDING_ALIAS,
      fromVersion: 2,
      toVersion: null,
      actor: 'ops',
    });
    expect(moved).toMatchObject({ alias: 'champion', fromVersion: 1, toVersion: 2, actor: 'ops' });
    await expect(approvePromotion(deps, 1, 'ops')).rejects.toMatchObject({
      code: 'APPROVAL_NOT_PENDING',
    });
    await expect(approvePromotion(deps, 9, 'ops')).rejects.toMatchObject({
      code: 'APPROVAL_NOT_FOUND',
    });
  });

  it('keeps the champion on rejection', async () => {
    const { v, trained } = await version('ridge', 0.5);
    await gateVersion(deps, v, trained, RETRAIN_ACTOR);
    const a = await rejectPromotion(deps, 1, 'ops', 'not before the earnings season');
    expect(a).toMatchObject({
      state: 'rejected',
      outcome: 'rejected by ops: not before the earnings season',
    });
    expect(await champion()).toBe(1);
  });

  it('settles an approval nobody answered by its timeout, as the policy says', async () => {
    const { v, trained } = await version('ridge', 0.5);
    await gateVersion(deps, v, trained, RETRAIN_ACTOR);
    expect(await expireApprovals(deps, 'promote')).toEqual([]);
    deps.now = () => new Date(T0 + 2 * HOUR);
    const [a] = await expireApprovals(deps, 'promote');
    expect(a).toMatchObject({ state: 'expired', decidedBy: 'timeout' });
    expect(await champion()).toBe(2);
    const next = await version('ridge', 0.3);
    await gateVersion(deps, next.v, next.trained, RETRAIN_ACTOR);
    deps.now = () => new Date(T0 + 5 * HOUR);
    const [b] = await expireApprovals(deps, 'reject');
    expect(b).toMatchObject({ state: 'expired' });
    expect(b?.outcome).toMatch(/; rejected$/);
    expect(await champion()).toBe(2);
  });
});
