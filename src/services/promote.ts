// Promotion gate and manual alias moves: challenger vs champion vs naive on one window, every move audited.
import { InvalidInputError, type ModelVersion, type WalkForwardReport } from '../core/index.js';
import { announceAliasMove } from './announce.js';
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

/** What the gate does with `champion`: move it to the new version, leave it, or move it to naive. */
export type GateOutcome = 'promote' | 'keep' | 'naive';

export interface GateDecision {
  promoted: boolean;
  outcome: GateOutcome;
  /** Why the version did or did not become champion, with the numbers. */
  decision: string;
  championVersion: number | null;
  /** The version serving after the gate (null only when nothing can serve yet). */
  servedVersion: number | null;
  metric: PromotionGate['metric'];
  margin: number;
  scores: GateScores;
  /** The gate would promote, but the move waits for a person (the retrain policy's approval step). */
  held?: boolean;
}

/** What the gate knows about the two versions besides their scores. */
export interface GateContext {
  /** The current champion's version, or null when the model has none. */
  championVersion: number | null;
  /** Whether the current champion is a naive version. */
  championIsNaive: boolean;
  /** Whether the new version is a naive version. */
  challengerIsNaive: boolean;
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

/**
 * Applies the gate to scores already computed; pure, so every branch is unit-tested. Naive is the floor:
 * a version is served only if it beats naive by the margin on the gate window, the first version of a
 * model included, and a champion that no longer beats naive gives way to it. When nothing beats naive
 * the outcome is `naive`: the service points `champion` at the model's naive version.
 */
export function decide(
  gate: PromotionGate,
  scores: GateScores,
  ctx: GateContext,
): { outcome: GateOutcome; promoted: boolean; decision: string } {
  const m = gate.metric.toUpperCase();
  const w = scores.window;
  const where = w ? `on ${w.from}..${w.to} (${w.rows} rows)` : 'on no common window';
  const need = (base: number) => base * (1 - gate.margin);
  const marginText = gate.margin > 0 ? ` by ${(gate.margin * 100).toFixed(2)}%` : '';
  const champ = ctx.championVersion;
  const promote = (decision: string) => ({ outcome: 'promote' as const, promoted: true, decision });
  const keep = (decision: string) => ({ outcome: 'keep' as const, promoted: false, decision });
  const toNaive = (decision: string) => ({ outcome: 'naive' as const, promoted: false, decision });
  const enoughCommonRows = w !== null && w.rows >= MIN_WINDOW_ROWS && scores.champion !== null;
  const championBeatsNaive =
    enoughCommonRows && scores.champion !== null && scores.champion < scores.naive;

  if (ctx.challengerIsNaive) {
    if (champ === null) {
      return promote(
        'promoted: naive is the floor; first version of this model, served until a version beats it on the gate window',
      );
    }
    if (ctx.championIsNaive) {
      return keep(`not promoted: champion v${champ} is already the naive forecast`);
    }
    if (!enoughCommonRows) {
      return keep(
        `not promoted: only ${w?.rows ?? 0} rows where both this version and champion v${champ} have out-of-sample forecasts; at least ${MIN_WINDOW_ROWS} are needed`,
      );
    }
    return championBeatsNaive
      ? keep(
          `not promoted: champion v${champ} (${m} ${fmt(scores.champion)}) beats naive (${fmt(scores.naive)}) ${where}`,
        )
      : promote(
          `promoted: naive is the floor; champion v${champ} (${m} ${fmt(scores.champion)}) does not beat naive (${fmt(scores.naive)}) ${where}`,
        );
  }

  const beatsNaive = scores.challenger < need(scores.naive);
  const failsNaive = `${m} ${fmt(scores.challenger)} does not beat naive ${fmt(scores.naive)}${marginText} ${where}`;
  if (champ === null) {
    return beatsNaive
      ? promote(
          `promoted: first version; ${m} ${fmt(scores.challenger)} beats naive ${fmt(scores.naive)}${marginText} ${where}`,
        )
      : toNaive(`not promoted: ${failsNaive}; naive serves`);
  }
  if (ctx.championIsNaive) {
    return beatsNaive
      ? promote(
          `promoted: ${m} ${fmt(scores.challenger)} beats naive ${fmt(scores.naive)} (champion v${champ})${marginText} ${where}`,
        )
      : keep(`not promoted: ${failsNaive}; naive (champion v${champ}) stays`);
  }
  if (!enoughCommonRows) {
    return keep(
      `not promoted: only ${w?.rows ?? 0} rows where both this version and champion v${champ} have out-of-sample forecasts; at least ${MIN_WINDOW_ROWS} are needed`,
    );
  }
  if (!beatsNaive) {
    return championBeatsNaive
      ? keep(`not promoted: ${failsNaive}`)
      : toNaive(
          `not promoted: ${failsNaive}; champion v${champ} (${fmt(scores.champion)}) does not beat naive either, so naive serves`,
        );
  }
  if (!(scores.challenger < need(scores.champion ?? Number.NaN))) {
    return keep(
      `not promoted: ${m} ${fmt(scores.challenger)} does not beat champion v${champ} (${fmt(scores.champion)})${marginText} ${where}`,
    );
  }
  return promote(
    `promoted: ${m} ${fmt(scores.challenger)} beats naive ${fmt(scores.naive)} and champion v${champ} (${fmt(scores.champion)})${marginText} ${where}`,
  );
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

/** Moves an alias and records the move in the audit log (no-op when it already points there). */
async function moveAlias(
  deps: ServiceDeps,
  move: {
    name: string;
    alias: string;
    version: number;
    actor: string;
    reason: string;
    metrics: Record<string, number>;
  },
): Promise<void> {
  const current = await deps.registry.getVersionByAlias(move.name, move.alias);
  if (current?.version === move.version) {
    return;
  }
  await deps.registry.setAlias(move.name, move.alias, move.version);
  const { id: _id, ...recorded } = await deps.aliasLog.record({
    name: move.name,
    alias: move.alias,
    fromVersion: current?.version ?? null,
    toVersion: move.version,
    actor: move.actor,
    reason: move.reason,
    metrics: move.metrics,
  });
  announceAliasMove(deps, recorded);
}

/** The model's newest naive version: the floor the gate falls back to. */
export async function naiveVersion(deps: ServiceDeps, name: string): Promise<ModelVersion | null> {
  return (await deps.registry.listVersions(name)).find((v) => v.tags.kind === 'naive') ?? null;
}

/**
 * The gate: a new version becomes `challenger`; it becomes `champion` only if, on the same most recent
 * window, it beats naive and the current champion by the configured margin, the first version of a model
 * included. Naive is the floor: when neither the new version nor the champion beats naive, `champion`
 * moves to the model's naive version (train.ts registers one before any other version is gated). The
 * decision is tagged on the run and every alias move goes to the audit log.
 */
export async function promoteIfBetter(
  deps: ServiceDeps,
  version: ModelVersion,
  trained: { runId: string; report: WalkForwardReport },
  actor: string,
  options: {
    /** Decide and move `challenger`, but leave `champion` where it is when the outcome is a promotion. */
    hold?: boolean;
  } = {},
): Promise<GateDecision> {
  const gate = deps.promotion ?? DEFAULT_GATE;
  const champion = await deps.registry.getVersionByAlias(version.name, 'champion');
  const championIsNaive = champion?.tags.kind === 'naive';
  let championReport: WalkForwardReport | null = null;
  // Naive forecasts a zero return on every date, so a naive champion needs no report: its score is naive's.
  if (champion && !championIsNaive) {
    try {
      const bytes = await deps.tracker.getArtifact(champion.runId, 'evaluation/report.json');
      championReport = JSON.parse(new TextDecoder().decode(bytes)) as WalkForwardReport;
    } catch {
      // A champion without a readable report cannot be compared; decide() then refuses promotion.
      championReport = { ...trained.report, predictions: [] };
    }
  }
  const scores = scoreWindow(gate.metric, trained.report, championReport);
  const {
    outcome,
    promoted,
    decision: decided,
  } = decide(gate, scores, {
    championVersion: champion?.version ?? null,
    championIsNaive,
    challengerIsNaive: version.tags.kind === 'naive',
  });
  let decision = decided;
  const metrics = numbers(scores, gate.metric);
  await moveAlias(deps, {
    name: version.name,
    alias: 'challenger',
    version: version.version,
    actor,
    reason: `new version from run ${trained.runId}; ${decision}`,
    metrics,
  });
  let served = champion?.version ?? null;
  // A held promotion waits for an approval (services/approvals.ts); falling back to naive never waits.
  const held = options.hold === true && outcome === 'promote';
  if (held) {
    decision = `held for approval: ${decided}`;
  } else if (outcome === 'promote') {
    await moveAlias(deps, {
      name: version.name,
      alias: 'champion',
      version: version.version,
      actor,
      reason: decision,
      metrics,
    });
    served = version.version;
  } else if (outcome === 'naive') {
    const naive = await naiveVersion(deps, version.name);
    if (naive) {
      decision = `${decision} (v${naive.version})`;
      await moveAlias(deps, {
        name: version.name,
        alias: 'champion',
        version: naive.version,
        actor,
        reason: `naive is the floor: v${version.version} ${decided.replace(/^not promoted: /, '')}`,
        metrics,
      });
      served = naive.version;
    } else {
      decision = `${decision}; no naive version is registered yet, so ${champion ? `champion v${champion.version} stays` : 'nothing serves'}`;
    }
  }
  await deps.tracker.setTags(trained.runId, {
    'stockops.promotion.promoted': String(promoted && !held),
    'stockops.promotion.outcome': outcome,
    'stockops.promotion.decision': decision,
  });
  return {
    promoted: promoted && !held,
    ...(held ? { held } : {}),
    outcome,
    decision,
    championVersion: champion?.version ?? null,
    servedVersion: served,
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
