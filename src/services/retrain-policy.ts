// The retrain policy applied to a served model: gather the facts, decide (core), record the decision with its rule and numbers, and start a `train` flow run when it says so; the settings stored over the environment's.
import {
  checkRetrainPolicy,
  decideRetrain,
  DEFAULT_RETRAIN_POLICY,
  type FlowRunRecord,
  type RetrainDecisionQuery,
  type RetrainDecisionRecord,
  type RetrainFacts,
  type RetrainPolicySettings,
  type StoredRetrainPolicy,
} from '../core/index.js';
import type { RetrainPolicyView } from '../api/index.js';
import type { MonitorStores, ServiceDeps } from './deps.js';
import { monitorStoresOf, type ServedModel } from './monitor.js';

/** Who the policy's train runs are started by (the `actor` of the alias log). */
export const RETRAIN_ACTOR = 'retrain-policy';

const DAY_MS = 86_400_000;
const now = (deps: Pick<ServiceDeps, 'now'>) => (deps.now ? deps.now() : new Date()).getTime();

/** The settings in force: the stored ones, else the environment's. */
export async function effectivePolicy(
  deps: Pick<ServiceDeps, 'monitorStores' | 'retrainPolicy'>,
): Promise<{ settings: RetrainPolicySettings; stored: StoredRetrainPolicy | null }> {
  const stored = await monitorStoresOf(deps).policy.get();
  return { settings: stored?.settings ?? deps.retrainPolicy ?? DEFAULT_RETRAIN_POLICY, stored };
}

/** The policy as the API shows it: the settings in force and where they come from. */
export async function getRetrainPolicy(
  deps: Pick<ServiceDeps, 'monitorStores' | 'retrainPolicy'>,
): Promise<RetrainPolicyView> {
  const { settings, stored } = await effectivePolicy(deps);
  return {
    settings,
    source: stored ? 'stored' : 'environment',
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
}

/** Stores the settings in force with `patch` applied; fields left out keep their value. Saving resumes a stopped policy. */
export async function putRetrainPolicy(
  deps: Pick<ServiceDeps, 'monitorStores' | 'retrainPolicy' | 'now'>,
  patch: unknown,
  by: string,
): Promise<RetrainPolicyView> {
  const { settings } = await effectivePolicy(deps);
  const next = checkRetrainPolicy(patch, settings);
  const saved = await monitorStoresOf(deps).policy.save(next, by, now(deps));
  return { settings: saved.settings, source: 'stored', updatedAt: saved.updatedAt, updatedBy: by };
}

export function listDecisions(
  deps: Pick<ServiceDeps, 'monitorStores'>,
  query: RetrainDecisionQuery,
): Promise<RetrainDecisionRecord[]> {
  return monitorStoresOf(deps).decisions.list(query);
}

const isTrainOf = (r: FlowRunRecord, m: ServedModel) =>
  r.flow === 'train' && r.parameters.ticker === m.ticker && r.parameters.horizon === m.horizon;

/** The train runs of the model in a state, newest first (the flow store lists by flow and state). */
async function trainRuns(
  runs: MonitorStores['runs'],
  m: ServedModel,
  state: FlowRunRecord['state'],
): Promise<FlowRunRecord[]> {
  return (await runs.listRuns({ flow: 'train', state, limit: 1000 })).filter((r) =>
    isTrainOf(r, m),
  );
}

/** What the policy's earlier retrains of the model became. */
interface RetrainHistory {
  /** When the last retrain that was not superseded started (queued ones have not happened yet). */
  lastRetrainAt: number | null;
  /** Failed retrains in a row, reset by any later successful training of the model and by saving the settings. */
  consecutiveFailures: number;
  /** A retrain the policy queued that has not started: a newer decision replaces it. */
  queued: FlowRunRecord | null;
}

async function retrainHistory(
  stores: MonitorStores,
  m: ServedModel,
  stored: StoredRetrainPolicy | null,
  maxFailures: number,
): Promise<RetrainHistory> {
  const decisions = await stores.decisions.list({
    model: m.name,
    retrainsOnly: true,
    limit: Math.max(20, maxFailures + 5),
  });
  let lastRetrainAt: number | null = null;
  let consecutiveFailures = 0;
  let counting = true;
  let queued: FlowRunRecord | null = null;
  let newestFailureEnd: number | null = null;
  for (const d of decisions) {
    const run = d.trainRunId ? await stores.runs.getRun(d.trainRunId) : null;
    const state = run?.state ?? null;
    if (state === 'Queued' || state === 'Scheduled') {
      queued ??= run;
      continue;
    }
    if (state === 'Cancelled') {
      continue;
    }
    lastRetrainAt ??= d.decidedAt;
    if (!counting) {
      continue;
    }
    if (state === 'Failed' && (stored === null || d.decidedAt > stored.updatedAt)) {
      consecutiveFailures++;
      newestFailureEnd ??= run?.endedAt ?? null;
    } else if (state !== 'Running' && state !== 'Retrying' && state !== 'Crashed') {
      counting = false;
    }
  }
  if (consecutiveFailures > 0 && newestFailureEnd !== null) {
    // A training of the model that succeeded after the last failure (by hand, or the weekly retrain) resumes it.
    const later = (await trainRuns(stores.runs, m, 'Completed')).some(
      (r) => (r.endedAt ?? 0) > newestFailureEnd,
    );
    if (later) {
      consecutiveFailures = 0;
    }
  }
  return { lastRetrainAt, consecutiveFailures, queued };
}

/**
 * The model kind a retrain fits: the champion's, unless the champion is naive (nothing beat naive when it was
 * gated), then the newest other kind the model was trained as, else ridge.
 */
async function retrainKind(deps: Pick<ServiceDeps, 'registry'>, m: ServedModel): Promise<string> {
  const own = m.champion.tags.kind;
  if (own !== undefined && own !== 'naive') {
    return own;
  }
  const versions = await deps.registry.listVersions(m.name);
  return (
    versions.find((v) => v.tags.kind !== undefined && v.tags.kind !== 'naive')?.tags.kind ?? 'ridge'
  );
}

/** Starts a train flow run for the policy (a child of the monitor run in a flow). */
export type StartRetrain = (
  parameters: { ticker: string; model: string; horizon: number; actor: string },
  key: string,
) => Promise<string>;

export interface PolicyOutcome {
  decision: RetrainDecisionRecord;
  /** The queued retrain this one replaced (latest wins). */
  replaced: string | null;
}

/**
 * Decides for one served model after its monitoring report and records the decision; a retrain starts a
 * `train` run of the champion's model kind, which goes through the promotion gate like any other. A retrain
 * the policy queued earlier that has not started yet is cancelled in favour of the new one.
 */
export async function applyRetrainPolicy(
  deps: ServiceDeps,
  m: ServedModel,
  context: {
    reportId: number | null;
    monitorRunId: string | null;
    start: StartRetrain;
    /** Accuracy of the champion's matured forecasts, when known. */
    accuracy?: RetrainFacts['accuracy'];
    /** Bars after the champion's training data. */
    newBars?: number | null;
  },
): Promise<PolicyOutcome> {
  const stores = monitorStoresOf(deps);
  const { settings, stored } = await effectivePolicy(deps);
  const at = now(deps);
  const history = await retrainHistory(stores, m, stored, settings.maxFailures);
  const windows = await stores.reports.windows(m.name, m.champion.version, settings.driftRuns);
  const facts: RetrainFacts = {
    now: at,
    driftWindows: windows.map((w) => w.drift),
    accuracy: context.accuracy ?? null,
    championCreatedAt: m.champion.createdAt,
    newBars: context.newBars ?? null,
    lastRetrainAt: history.lastRetrainAt,
    retrainRunning: (await trainRuns(stores.runs, m, 'Running')).length > 0,
    retrainsInLastDay: await stores.decisions.countRetrainsSince(at - DAY_MS),
    consecutiveFailures: history.consecutiveFailures,
  };
  const verdict = decideRetrain(settings, facts);
  const replacing = verdict.retrain ? history.queued : null;
  const decision = await stores.decisions.record({
    model: m.name,
    ticker: m.ticker,
    horizon: m.horizon,
    version: m.champion.version,
    decidedAt: at,
    retrain: verdict.retrain,
    rule: verdict.rule,
    fired: verdict.fired,
    suppressedBy: verdict.suppressedBy,
    reason: replacing
      ? `${verdict.reason}; replaces retrain ${replacing.id}, still queued`
      : verdict.reason,
    numbers: verdict.numbers,
    reportId: context.reportId,
    monitorRunId: context.monitorRunId,
    trainRunId: null,
  });
  if (!verdict.retrain) {
    return { decision, replaced: null };
  }
  if (replacing) {
    await stores.runs.requestCancel(replacing.id, Date.now());
  }
  const kind = await retrainKind(deps, m);
  const runId = await context.start(
    { ticker: m.ticker, model: kind, horizon: m.horizon, actor: RETRAIN_ACTOR },
    `retrain:${m.name}:${decision.id}`,
  );
  await stores.decisions.setTrainRun(decision.id, runId);
  return { decision: { ...decision, trainRunId: runId }, replaced: replacing?.id ?? null };
}
