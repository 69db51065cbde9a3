// Promotion gate and manual alias moves: challenger vs champion vs naive on one window, every move audited.
import {
  InvalidInputError,
  type AliasMove,
  type ModelVersion,
  type WalkForwardReport,
} from '../core/index.js';
import type { ServiceDeps, PromotionGate } from './deps.js';

export const DEFAULT_GATE: PromotionGate = { metric: 'rmse', margin: 0 };

/** Fewest common out-of-sample rows for a champion comparison to mean anything. */
export const MIN_WINDOW_ROWS = 20;

export interface GateScores {
  window: { from: string; to: string; rows: number } | null;
  challenger: number;
  naive: number;
  champion: number | null;
}

export interface GateDecision {
  promoted: boolean;
  /** Why the version did or did not become champion, with the numbers. */
  decision: string;
  championVersion: number | null;
  metric: PromotionGate['metric'];
  margin: number;
  scores: GateScores;
}

type Prediction = WalkForwardReport['predictions'][number];

const score = (metric: PromotionGate['metric'], errors: readonly number[]): number => {
  if (errors.length === 0) {
    return Number.NaN;
  }
  if (metric === 'mae') {
    return errors.reduce((s, e) => s + Math.abs(e), 0) / errors.length;
  }
  return Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
};

/**
 * Scores challenger, naive and champion on the same dates: the most recent rows (one walk-forward test
 * window, `step` rows) on which both models have out-of-sample forecasts.
 * Naive predicts a zero log return, so its error is the realised return itself.
 */
export function scoreWindow(
  metric: PromotionGate['metric'],
  challenger: WalkForwardReport,
  champion: WalkForwardReport | null,
): GateScores {
  // One full test window (the walk-forward step): the last fold alone may be a short remainder.
  const lastFold = challenger.folds.at(-1);
  const step = (challenger.options as Partial<WalkForwardReport['options']> | undefined)?.step;
  const windowRows =
    step ?? (lastFold ? lastFold.testEnd - lastFold.testStart : challenger.predictions.length);
  let rows: Prediction[] = challenger.predictions;
  let championByDate: Map<string, number> | null = null;
  if (champion) {
    championByDate = new Map(champion.predictions.map((p) => [p.date, p.predicted]));
    const known = championByDate;
    rows = rows.filter((p) => known.has(p.date));
  }
  rows = rows.slice(-windowRows);
  const first = rows[0];
  const last = rows.at(-1);
  return {
    window: first && last ? { from: first.date, to: last.date, rows: rows.length } : null,
    challenger: score(
      metric,
      rows.map((p) => p.actual - p.predicted),
    ),
    naive: score(
      metric,
      rows.map((p) => p.actual),
    ),
    champion: championByDate
      ? score(
          metric,
          rows.map((p) => p.actual - (championByDate.get(p.date) ?? 0)),
        )
      : null,
  };
}

const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? 'n/a' : x.toPrecision(5));

/** Applies the gate to scores already computed; pure, so every branch is unit-tested. */
export function decide(
  gate: PromotionGate,
  scores: GateScores,
  championVersion: number | null,
): { promoted: boolean; decision: string } {
  const m = gate.metric.toUpperCase();
  const w = scores.window;
  const where = w ? `on ${w.from}..${w.to} (${w.rows} rows)` : 'on no common window';
  const need = (base: number) => base * (1 - gate.margin);
  const marginText = gate.margin > 0 ? ` by ${(gate.margin * 100).toFixed(2)}%` : '';
  if (championVersion === null) {
    const beats = scores.challenger < need(scores.naive);
    return {
      promoted: true,
      decision: beats
        ? `promoted: first version; ${m} ${fmt(scores.challenger)} beats naive ${fmt(scores.naive)}${marginText} ${where}`
        : `promoted: first version (serving needs one) although ${m} ${fmt(scores.challenger)} does not beat naive ${fmt(scores.naive)}${marginText} ${where}`,
    };
  }
  if (!w || w.rows < MIN_WINDOW_ROWS || scores.champion === null) {
    return {
      promoted: false,
      decision: `not promoted: only ${w?.rows ?? 0} rows where both this version and champion v${championVersion} have out-of-sample forecasts; at least ${MIN_WINDOW_ROWS} are needed`,
    };
  }
  if (!(scores.challenger < need(scores.naive))) {
    return {
      promoted: false,
      decision: `not promoted: ${m} ${fmt(scores.challenger)} does not beat naive ${fmt(scores.naive)}${marginText} ${where}`,
    };
  }
  if (!(scores.challenger < need(scores.champion))) {
    return {
      promoted: false,
      decision: `not promoted: ${m} ${fmt(scores.challenger)} does not beat champion v${championVersion} (${fmt(scores.champion)})${marginText} ${where}`,
    };
  }
  return {
    promoted: true,
    decision: `promoted: ${m} ${fmt(scores.challenger)} beats naive ${fmt(scores.naive)} and champion v${championVersion} (${fmt(scores.champion)})${marginText} ${where}`,
  };
}

const numbers = (s: GateScores, metric: string): Record<string, number> => {
  const out: Record<string, number> = {
    [metric]: s.challenger,
    [`${metric}_naive`]: s.naive,
    window_rows: s.window?.rows ?? 0,
  };
  if (s.champion !== null) {
    out[`${metric}_champion`] = s.champion;
  }
  return out;
};

/** Moves an alias and records the move in the audit log, never one without the other (no-op when it already points there). */
async function moveAlias(deps: ServiceDeps, move: AliasMove): Promise<void> {
  await deps.aliasLog.move(deps.registry, move);
}

/**
 * The gate: a new version becomes `challenger`; it becomes `champion` only if, on the same most
 * recent window, it beats naive and the current champion by the configured margin. The first version
 * of a model becomes champion regardless, so there is always something to serve. The decision is
 * tagged on the run and every alias move goes to the audit log.
 */
export async function promoteIfBetter(
  deps: ServiceDeps,
  version: ModelVersion,
  trained: { runId: string; report: WalkForwardReport },
  actor: string,
): Promise<GateDecision> {
  const gate = deps.promotion ?? DEFAULT_GATE;
  const champion = await deps.registry.getVersionByAlias(version.name, 'champion');
  let championReport: WalkForwardReport | null = null;
  if (champion) {
    try {
      const bytes = await deps.tracker.getArtifact(champion.runId, 'evaluation/report.json');
      championReport = JSON.parse(new TextDecoder().decode(bytes)) as WalkForwardReport;
    } catch {
      // A champion without a readable report cannot be compared; decide() then refuses promotion.
      championReport = { ...trained.report, predictions: [] };
    }
  }
  const scores = scoreWindow(gate.metric, trained.report, championReport);
  const { promoted, decision } = decide(gate, scores, champion?.version ?? null);
  const metrics = numbers(scores, gate.metric);
  await moveAlias(deps, {
    name: version.name,
    alias: 'challenger',
    version: version.version,
    actor,
    reason: `new version from run ${trained.runId}; ${decision}`,
    metrics,
  });
  if (promoted) {
    await moveAlias(deps, {
      name: version.name,
      alias: 'champion',
      version: version.version,
      actor,
      reason: decision,
      metrics,
    });
  }
  await deps.tracker.setTags(trained.runId, {
    'stockops.promotion.promoted': String(promoted),
    'stockops.promotion.decision': decision,
  });
  return {
    promoted,
    decision,
    championVersion: champion?.version ?? null,
    metric: gate.metric,
    margin: gate.margin,
    scores,
  };
}

/** Points `champion` at a version by hand (promotion or rollback), recorded with who and why. */
export async function setChampion(
  deps: ServiceDeps,
  input: { name: string; version: number; reason: string; actor: string },
): Promise<{ name: string; alias: 'champion'; fromVersion: number | null; toVersion: number }> {
  if (input.reason.trim() === '') {
    throw new InvalidInputError('reason', 'say why the champion moves');
  }
  const target = await deps.registry.getVersion(input.name, input.version);
  const current = await deps.registry.getVersionByAlias(input.name, 'champion');
  const metrics: Record<string, number> = {};
  for (const k of ['rmse', 'rmse_naive', 'skill']) {
    const v = Number(target.tags[k]);
    if (target.tags[k] !== undefined && Number.isFinite(v)) {
      metrics[k] = v;
    }
  }
  await moveAlias(deps, {
    name: input.name,
    alias: 'champion',
    version: target.version,
    actor: input.actor,
    reason: `manual: ${input.reason.trim()}`,
    metrics,
  });
  return {
    name: input.name,
    alias: 'champion',
    fromVersion: current?.version ?? null,
    toVersion: target.version,
  };
}
