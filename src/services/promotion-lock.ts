// The promotion gate under the model's lock: two challengers of one model are gated one after the other, each against the champion the other left; a retrain's promotion held for approval when the policy asks for one.
import type { ModelVersion, WalkForwardReport } from '../core/index.js';
import { holdForApproval } from './approvals.js';
import type { ServiceDeps } from './deps.js';
import { promoteIfBetter, type GateDecision } from './promote.js';
import { effectivePolicy, RETRAIN_ACTOR } from './retrain-policy.js';

/**
 * promoteIfBetter holding `deps.modelLocks` for the model: without it, two gates could both read the old
 * champion, both find themselves better, and the last alias move would win even if it was the worse. A
 * retrain started by the policy (actor `retrain-policy`) with the approval step on moves only `challenger`;
 * its promotion waits for a person or the timeout (approvals.ts).
 */
export async function gateVersion(
  deps: ServiceDeps,
  version: ModelVersion,
  trained: { runId: string; report: WalkForwardReport },
  actor: string,
): Promise<GateDecision> {
  const policy =
    actor === RETRAIN_ACTOR && deps.monitorStores ? (await effectivePolicy(deps)).settings : null;
  const hold = policy?.approval === true;
  const gate = () => promoteIfBetter(deps, version, trained, actor, { hold });
  const decided = deps.modelLocks
    ? await deps.modelLocks.withLock(version.name, gate)
    : await gate();
  if (decided.held === true && policy) {
    const a = await holdForApproval(
      deps,
      version,
      trained.runId,
      decided,
      policy.approvalTimeoutHours,
    );
    return { ...decided, decision: `${decided.decision} (approval ${a.id})` };
  }
  return decided;
}
