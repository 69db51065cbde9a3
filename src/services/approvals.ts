// The retrain policy's optional approval step: a retrain's promotion waits for a person, who approves (the gate then runs again against the champion of that moment) or rejects it, or for its timeout; each step is in the alias audit log under `pending-champion`.
import {
  ApprovalNotFoundError,
  ApprovalNotPendingError,
  type ApprovalState,
  type ModelVersion,
  type PromotionApproval,
  type WalkForwardReport,
} from '../core/index.js';
import type { ServiceDeps } from './deps.js';
import { monitorStoresOf } from './monitor.js';
import { promoteIfBetter, type GateDecision } from './promote.js';

/** The alias-log name of a held promotion: the version waiting to become champion (null once settled). */
export const PENDING_ALIAS = 'pending-champion';

const HOUR_MS = 3_600_000;
const now = (deps: Pick<ServiceDeps, 'now'>) => (deps.now ? deps.now() : new Date()).getTime();

/** Records a promotion the gate held: the approval to wait for, and the alias log's `pending-champion` move. */
export async function holdForApproval(
  deps: ServiceDeps,
  version: ModelVersion,
  runId: string,
  gate: GateDecision,
  timeoutHours: number,
): Promise<PromotionApproval> {
  const stores = monitorStoresOf(deps);
  const at = now(deps);
  const approval = await stores.approvals.create({
    model: version.name,
    version: version.version,
    runId,
    gateDecision: gate.decision,
    requestedAt: at,
    expiresAt: at + timeoutHours * HOUR_MS,
  });
  await deps.aliasLog.record({
    name: version.name,
    alias: PENDING_ALIAS,
    fromVersion: gate.championVersion,
    toVersion: version.version,
    actor: 'retrain-policy',
    reason: `approval ${approval.id} requested until ${new Date(approval.expiresAt).toISOString()}: ${gate.decision}`,
    metrics: {},
  });
  return approval;
}

async function settle(
  deps: ServiceDeps,
  a: PromotionApproval,
  state: Exclude<ApprovalState, 'pending'>,
  by: string,
  promote: boolean,
  why: string,
): Promise<PromotionApproval> {
  const stores = monitorStoresOf(deps);
  let outcome = why;
  if (promote) {
    // The champion may have moved since the hold: the gate decides again, against the champion of now.
    const version = await deps.registry.getVersion(a.model, a.version);
    const report = JSON.parse(
      new TextDecoder().decode(await deps.tracker.getArtifact(a.runId, 'evaluation/report.json')),
    ) as WalkForwardReport;
    const gate = async () => promoteIfBetter(deps, version, { runId: a.runId, report }, by);
    const decided = deps.modelLocks ? await deps.modelLocks.withLock(a.model, gate) : await gate();
    outcome = `${why}; ${decided.decision}`;
  }
  const settled = await stores.approvals.settle(a.id, {
    state,
    decidedAt: now(deps),
    decidedBy: by,
    outcome,
  });
  if (!settled) {
    throw new ApprovalNotPendingError(a.id, (await stores.approvals.get(a.id))?.state ?? 'unknown');
  }
  await deps.aliasLog.record({
    name: a.model,
    alias: PENDING_ALIAS,
    fromVersion: a.version,
    toVersion: null,
    actor: by,
    reason: `approval ${a.id} ${state}: ${outcome}`,
    metrics: {},
  });
  return settled;
}

async function pending(deps: ServiceDeps, id: number): Promise<PromotionApproval> {
  const a = await monitorStoresOf(deps).approvals.get(id);
  if (!a) {
    throw new ApprovalNotFoundError(id);
  }
  if (a.state !== 'pending') {
    throw new ApprovalNotPendingError(id, a.state);
  }
  return a;
}

/** A person approves: the promotion goes ahead if the gate still says so. */
export async function approvePromotion(
  deps: ServiceDeps,
  id: number,
  by: string,
): Promise<PromotionApproval> {
  return settle(deps, await pending(deps, id), 'approved', by, true, `approved by ${by}`);
}

/** A person rejects: the champion stays. */
export async function rejectPromotion(
  deps: ServiceDeps,
  id: number,
  by: string,
  reason: string,
): Promise<PromotionApproval> {
  return settle(
    deps,
    await pending(deps, id),
    'rejected',
    by,
    false,
    `rejected by ${by}${reason.trim() !== '' ? `: ${reason.trim()}` : ''}`,
  );
}

/**
 * Settles the approvals nobody answered in time, as the policy says: promote (the gate runs again) or reject.
 * The monitor flow calls it on each run, so a timeout takes effect at the first monitor run after it.
 */
export async function expireApprovals(
  deps: ServiceDeps,
  action: 'promote' | 'reject',
): Promise<PromotionApproval[]> {
  const at = now(deps);
  const due = (
    await monitorStoresOf(deps).approvals.list({ state: 'pending', limit: 1000 })
  ).filter((a) => a.expiresAt <= at);
  const out: PromotionApproval[] = [];
  for (const a of due) {
    out.push(
      await settle(
        deps,
        a,
        'expired',
        'timeout',
        action === 'promote',
        `nobody answered by ${new Date(a.expiresAt).toISOString()}; ${action === 'promote' ? 'promoting as the gate decides' : 'rejected'}`,
      ).catch((e: unknown) => {
        // Settled meanwhile by a person: nothing left to do.
        if (e instanceof ApprovalNotPendingError) {
          return a;
        }
        throw e;
      }),
    );
  }
  return out;
}

export function listApprovals(
  deps: Pick<ServiceDeps, 'monitorStores'>,
  query: { state?: ApprovalState; model?: string; limit?: number },
): Promise<PromotionApproval[]> {
  return monitorStoresOf(deps).approvals.list(query);
}
