// The promotion gate under the model's lock: two challengers of one model are gated one after the other, each against the champion the other left.
import type { ModelVersion, WalkForwardReport } from '../core/index.js';
import type { ServiceDeps } from './deps.js';
import { promoteIfBetter, type GateDecision } from './promote.js';

/**
 * promoteIfBetter holding `deps.modelLocks` for the model: without it, two gates could both read the old
 * champion, both find themselves better, and the last alias move would win even if it was the worse.
 */
export function gateVersion(
  deps: ServiceDeps,
  version: ModelVersion,
  trained: { runId: string; report: WalkForwardReport },
  actor: string,
): Promise<GateDecision> {
  const gate = () => promoteIfBetter(deps, version, trained, actor);
  return deps.modelLocks ? deps.modelLocks.withLock(version.name, gate) : gate();
}
