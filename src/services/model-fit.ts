// The CPU part of training: features, walk-forward with calibrated intervals, the final fit, and what to track.
import type { CoverageByVolatility, TrainMetrics } from '../api/index.js';
import { threadId } from 'node:worker_threads';
import {
  buildDataset,
  createModel,
  DEFAULT_FEATURE_SET,
  assembleWalkForward,
  fitFold,
  featureSetKey,
  getFeatureSet,
  InsufficientHistoryError,
  InternalError,
  minimumRows,
  resolveWalkForward,
  toSeries,
  type Bar,
  type BuiltData,
  type ConformalMethod,
  type ConformalOptions,
  type ConformalState,
  type FeatureSet,
  type FoldFit,
  type IntervalMetrics,
  type MetricPoint,
  type Model,
  type ModelJson,
  type ModelKind,
  type ModelOptions,
  type Tracker,
  type TuningTrial,
  type VolatilityThirds,
  type WalkForwardOptions,
  type WalkForwardReport,
  walkForwardSplits,
} from '../core/index.js';

/** What a training needs besides the bars; every field has a default. */
export interface FitSettings {
  model: ModelKind;
  horizon: number;
  /** Walk-forward settings; purge is at least the horizon. */
  walkForward?: Partial<WalkForwardOptions>;
  /** `id@version` of the feature set. @defaultValue DEFAULT_FEATURE_SET ('alpha@1') */
  featureSet?: string;
  /** Per-kind model options (alphas, GBDT grid, ensemble members). @defaultValue {} */
  modelOptions?: ModelOptions;
  /** Interval levels and adaptive-conformal settings. @defaultValue levels 0.8 and 0.95 */
  conformal?: ConformalOptions;
  /** Progress after each walk-forward fold. */
  onFold?: (done: number, total: number) => void;
}

export interface FitOutcome {
  featureSet: FeatureSet;
  built: BuiltData;
  report: WalkForwardReport;
  final: Model;
  modelJson: ModelJson;
  /** Calibrator state at the end of the walk-forward: stored beside the model, replayed on serving. */
  conformal: ConformalState;
  /** `threadId` of the thread that ran each share's model fits (0: a process's main thread). */
  fitThreads: number[];
}

/** Bars a ticker needs for one walk-forward fold under these settings (the stated minimum). */
export function barsNeeded(settings: Pick<FitSettings, 'horizon' | 'walkForward' | 'featureSet'>) {
  const set = getFeatureSet(settings.featureSet ?? DEFAULT_FEATURE_SET);
  return minimumRows(walkForwardOf(settings)) + set.lookback + settings.horizon;
}

export function walkForwardOf(settings: Pick<FitSettings, 'horizon' | 'walkForward'>) {
  return {
    ...settings.walkForward,
    purge: Math.max(settings.horizon, settings.walkForward?.purge ?? 0),
  } satisfies WalkForwardOptions;
}

/** Which share of a fit's model fits one thread takes (`index` of `of`); a fit on one thread is 0 of 1. */
export interface FitShare {
  index: number;
  of: number;
}

export const WHOLE_FIT: FitShare = { index: 0, of: 1 };

/**
 * The share of each task, by the LPT rule: largest first, each to the share with the least work so far
 * (ties to the lower share). Tasks are model fits; a fit's cost grows with its training rows.
 */
export function planShares(costs: readonly number[], of: number): number[] {
  const load = new Array<number>(Math.max(1, of)).fill(0);
  const share = new Array<number>(costs.length).fill(0);
  const order = costs.map((c, k) => ({ c, k })).sort((x, y) => y.c - x.c || x.k - y.k);
  for (const { c, k } of order) {
    let best = 0;
    for (let j = 1; j < load.length; j++) {
      if ((load[j] ?? 0) < (load[best] ?? 0)) {
        best = j;
      }
    }
    share[k] = best;
    load[best] = (load[best] ?? 0) + c;
  }
  return share;
}

/** What one share of a fit produced; `combineShares` puts the shares together. */
export interface ShareResult {
  /** Share 0 returns the features it built (every share builds the same ones). */
  built: BuiltData | null;
  folds: FoldFit[];
  /** The fit on every labeled row, from the share that was given it. */
  final: Model | null;
  /** Date.now() when the share started and ended its model fits. */
  startedAt: number;
  endedAt: number;
  /** `threadId` of the thread the fits ran on, read where they ran (0: a process's main thread). */
  threadId: number;
}

/** The fit's features, after refusing a history below the stated minimum (InsufficientHistoryError). */
function prepare(symbol: string, bars: readonly Bar[], s: Omit<FitSettings, 'onFold'>) {
  const featureSet = getFeatureSet(s.featureSet ?? DEFAULT_FEATURE_SET);
  const needed = barsNeeded(s);
  if (bars.length < needed) {
    throw new InsufficientHistoryError(symbol, needed, bars.length);
  }
  return buildDataset(toSeries(symbol, bars), featureSet, s.horizon);
}

/**
 * One share of a fit: the walk-forward folds (and, with `final`, the fit on every labeled row) that the
 * plan gives to `share`. The model fits of a training are independent, so threads can each take a share
 * and one ticker's training uses every core; the results are the same wherever a fit ran.
 */
export function fitShare(
  symbol: string,
  bars: readonly Bar[],
  s: Omit<FitSettings, 'onFold'>,
  options: { share: FitShare; final: boolean; onFold?: (done: number, total: number) => void },
): ShareResult {
  const built = prepare(symbol, bars, s);
  const ds = built.labeled;
  const folds = walkForwardSplits(ds.nRows, walkForwardOf(s), symbol);
  // Task k < folds.length is fold k; the last task (when asked) is the final fit.
  const costs = [
    ...folds.map((f) => f.trainEnd - f.trainStart),
    ...(options.final ? [ds.nRows] : []),
  ];
  const plan = planShares(costs, options.share.of);
  const mine = (k: number) => plan[k] === options.share.index;
  const make = () => createModel(s.model, s.modelOptions);
  const startedAt = Date.now();
  const fits: FoldFit[] = [];
  let done = 0;
  for (const fold of folds) {
    if (mine(fold.index)) {
      fits.push(fitFold(ds, fold, make));
      options.onFold?.(++done, folds.length);
    }
  }
  let final: Model | null = null;
  if (options.final && mine(folds.length)) {
    final = make();
    final.fit(ds);
  }
  return {
    built: options.share.index === 0 ? built : null,
    folds: fits,
    final,
    startedAt,
    endedAt: Date.now(),
    threadId,
  };
}

/** The walk-forward report (and the final model) of a fit from all of its shares. */
export function combineShares(
  symbol: string,
  s: Omit<FitSettings, 'onFold'>,
  shares: readonly ShareResult[],
): { featureSet: FeatureSet; built: BuiltData; report: WalkForwardReport; final: Model | null } {
  const built = shares.find((r) => r.built)?.built;
  if (!built) {
    throw new InternalError(
      `combineShares expected share 0 of ${shares.length} to return the features; found none that did.`,
    );
  }
  const report = assembleWalkForward(
    built.labeled,
    walkForwardOf(s),
    symbol,
    shares.flatMap((r) => r.folds),
    s.conformal ? { conformal: s.conformal } : {},
  );
  return {
    featureSet: getFeatureSet(s.featureSet ?? DEFAULT_FEATURE_SET),
    built,
    report,
    final: shares.find((r) => r.final)?.final ?? null,
  };
}

/** A whole training from its shares; the final model is the one a share returned. */
export function outcomeOfShares(
  symbol: string,
  s: Omit<FitSettings, 'onFold'>,
  shares: readonly ShareResult[],
): FitOutcome {
  const { featureSet, built, report, final } = combineShares(symbol, s, shares);
  if (!final) {
    throw new InternalError(
      `outcomeOfShares expected one of ${shares.length} shares to return the final fit; found none.`,
    );
  }
  return {
    featureSet,
    built,
    report,
    final,
    modelJson: final.toJSON(),
    conformal: report.conformal,
    fitThreads: shares.map((r) => r.threadId),
  };
}

/**
 * Builds features, evaluates the model walk-forward beside naive with conformal intervals, then fits
 * it on every labeled row. Throws InsufficientHistoryError (naming the bars needed) for short histories.
 */
export function fitAndEvaluate(symbol: string, bars: readonly Bar[], s: FitSettings): FitOutcome {
  const { onFold, ...settings } = s;
  const share = fitShare(symbol, bars, settings, {
    share: WHOLE_FIT,
    final: true,
    ...(onFold ? { onFold } : {}),
  });
  return outcomeOfShares(symbol, settings, [share]);
}

const pctKey = (level: number) => String(Math.round(level * 1000) / 10);

/** One interval metric per level keyed by percent ("80", "95"), as the CLI and API print it. */
const byLevel = (
  intervals: readonly IntervalMetrics[],
  pick: (i: IntervalMetrics) => number,
): Record<string, number> => Object.fromEntries(intervals.map((i) => [pctKey(i.level), pick(i)]));

/** Coverage per level keyed by percent ("80", "95"). */
export function coverageByLevel(report: WalkForwardReport): Record<string, number> {
  return byLevel(report.intervals, (i) => i.coverage);
}

/** Mean interval width as a fraction of the price at forecast time, per level keyed by percent. */
export function widthByLevel(report: WalkForwardReport): Record<string, number> {
  return byLevel(report.intervals, (i) => i.widthFraction);
}

/** Coverage per level in each volatility third of the test days (NaN for reports without volatility). */
export function coverageByVolatility(report: WalkForwardReport): CoverageByVolatility {
  const third = (t: keyof VolatilityThirds) =>
    byLevel(report.byVolatility?.[t].intervals ?? report.intervals, (i) =>
      report.byVolatility ? i.coverage : Number.NaN,
    );
  return { low: third('low'), mid: third('mid'), high: third('high') };
}

/** Run params describing the features, the intervals and what the final fit learned. */
export function fitParams(o: FitOutcome): Record<string, string> {
  const pre = o.final.preprocessing();
  return {
    feature_set: featureSetKey(o.featureSet),
    'features.count': String(o.featureSet.features.length),
    'features.lookback': String(o.featureSet.lookback),
    // The run says which features could not be computed on its data and what was done about it.
    'preprocess.dropped': pre.dropped.join(',') || '-',
    'preprocess.imputed': pre.imputed.join(',') || '-',
    'preprocess.rule': 'fitted on the training window: >50% missing dropped, else median-imputed',
    'interval.method': intervalMethodText(o.conformal.method ?? 'absolute'),
    'interval.scores': o.conformal.method ?? 'absolute',
    'interval.levels': o.conformal.levels.join(','),
    'interval.gamma': String(o.conformal.gamma),
    'interval.window': String(o.conformal.window),
    'interval.alpha_bounds': (o.conformal.alphaBounds ?? [])
      .map(([lo, hi]) => `${lo}..${hi}`)
      .join(','),
  };
}

const intervalMethodText = (m: ConformalMethod) =>
  m === 'volatility'
    ? 'conformal on out-of-sample |residual| / (EWMA daily volatility at forecast time * sqrt(h)), adaptive conformal inference with clamped alpha'
    : 'conformal on out-of-sample |residual|, adaptive conformal inference with clamped alpha';

/**
 * Overall metrics (step 0) and per-fold metrics (step = fold index) for the tracker. Widths and interval
 * scores are fractions of the price at forecast time; per volatility third: `coverage_vol_low_80`...
 */
export function intervalMetricPoints(report: WalkForwardReport, ts: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const i of report.intervals) {
    const k = pctKey(i.level);
    points.push(
      { key: `coverage_${k}`, value: i.coverage, step: 0, timestamp: ts },
      { key: `interval_width_${k}`, value: i.widthFraction, step: 0, timestamp: ts },
      { key: `interval_score_${k}`, value: i.intervalScore, step: 0, timestamp: ts },
    );
  }
  if (report.byVolatility) {
    for (const t of ['low', 'mid', 'high'] as const) {
      for (const i of report.byVolatility[t].intervals) {
        points.push({
          key: `coverage_vol_${t}_${pctKey(i.level)}`,
          value: i.coverage,
          step: 0,
          timestamp: ts,
        });
      }
    }
  }
  for (const f of report.folds) {
    const step = f.index;
    points.push(
      { key: 'fold_mae', value: f.metrics.mae, step, timestamp: ts },
      { key: 'fold_mape', value: f.metrics.mape, step, timestamp: ts },
      { key: 'fold_up_rate', value: f.metrics.upRate, step, timestamp: ts },
      { key: 'fold_dm_p_value', value: f.metrics.dmPValue, step, timestamp: ts },
    );
    for (const i of f.intervals) {
      if (Number.isFinite(i.coverage)) {
        const k = pctKey(i.level);
        points.push(
          { key: `fold_coverage_${k}`, value: i.coverage, step, timestamp: ts },
          { key: `fold_interval_width_${k}`, value: i.widthFraction, step, timestamp: ts },
        );
      }
    }
  }
  return points.filter((p) => Number.isFinite(p.value));
}

const trialKey = (t: TuningTrial) => JSON.stringify(t.params);

/**
 * Each hyperparameter setting tried becomes a child run (MLflow's `mlflow.parentRunId` tag) with its
 * validation RMSE per fold (step = fold index; the final fit on all rows is the last step). Child runs
 * carry no `stockops.ticker` tag, so ticker run lists show the parent runs only.
 */
export async function trackTuningTrials(
  tracker: Tracker,
  experimentId: string,
  parent: { id: string; model: ModelKind; horizon: number },
  report: WalkForwardReport,
  finalTrials: readonly TuningTrial[],
): Promise<string[]> {
  const steps: { step: number; trials: readonly TuningTrial[] }[] = [
    ...report.folds.map((f) => ({ step: f.index, trials: f.trials })),
    { step: report.folds.length, trials: finalTrials },
  ];
  const byParams = new Map<string, { params: TuningTrial['params']; points: MetricPoint[] }>();
  const ts = Date.now();
  for (const { step, trials } of steps) {
    for (const t of trials) {
      const key = trialKey(t);
      let entry = byParams.get(key);
      if (!entry) {
        entry = { params: t.params, points: [] };
        byParams.set(key, entry);
      }
      entry.points.push(
        { key: 'validation_rmse', value: t.validationRmse, step, timestamp: ts },
        { key: 'chosen', value: t.chosen ? 1 : 0, step, timestamp: ts },
      );
      if (t.iterations !== undefined) {
        entry.points.push({ key: 'best_iterations', value: t.iterations, step, timestamp: ts });
      }
    }
  }
  const ids: string[] = [];
  let k = 0;
  for (const { params, points } of byParams.values()) {
    const child = await tracker.createRun({
      experimentId,
      name: `${parent.model}-h${parent.horizon}-trial-${++k}`,
      tags: {
        'mlflow.parentRunId': parent.id,
        'stockops.trial': 'true',
        'stockops.model': parent.model,
      },
    });
    await tracker.logParams(
      child.id,
      Object.fromEntries(Object.entries(params).map(([p, v]) => [p, String(v)])),
    );
    const finite = points.filter((p) => Number.isFinite(p.value));
    const chosenFolds = points.filter((p) => p.key === 'chosen' && p.value === 1).length;
    await tracker.logMetrics(child.id, [
      ...finite,
      { key: 'chosen_folds', value: chosenFolds, step: 0, timestamp: ts },
    ]);
    await tracker.endRun(child.id, 'FINISHED');
    ids.push(child.id);
  }
  return ids;
}

/** A walk-forward's overall scores beside naive, as training runs record and the CLI prints them. */
// The scores' shape is the contract's (the train flow's result and the CLI print it).
export type { CoverageByVolatility, TrainMetrics };

export const summarizeReport = (r: WalkForwardReport): TrainMetrics => ({
  rmse: r.overall.rmse,
  rmseNaive: r.overall.rmseNaive,
  skill: r.overall.skill,
  directionAccuracy: r.overall.directionAccuracy,
  upRate: r.overall.upRate,
  mae: r.overall.mae,
  mape: r.overall.mape,
  dmPValue: r.overall.dmPValue,
  folds: r.folds.length,
  intervalMethod: r.conformal.method ?? 'absolute',
  coverage: coverageByLevel(r),
  coverageByVolatility: coverageByVolatility(r),
  intervalWidth: widthByLevel(r),
  intervalScore: byLevel(r.intervals, (i) => i.intervalScore),
});

/** One model's scores in a comparison (`stockops evaluate`). */
export interface ModelScore extends TrainMetrics {
  model: ModelKind;
  /** Wall-clock seconds for this model's walk-forward (fits, tuning and predictions). */
  seconds: number;
}

/** One model's walk-forward for a comparison: its scores and the windows the data allowed. */
export interface ScoredModel {
  score: ModelScore;
  /** The same forecasts with the intervals of each method in `alsoIntervals`, in that order. */
  alsoScored: ModelScore[];
  walkForward: Required<WalkForwardOptions>;
  /** First and last date forecast out of sample. */
  testFrom: string;
  testTo: string;
  /** `threadId` of the thread that ran each share's model fits (0: a process's main thread). */
  fitThreads: number[];
}

/** What a comparison asks of one model: a fit's settings, and more interval methods to score. */
export interface ScoreInput extends Omit<FitSettings, 'onFold'> {
  /**
   * Conformal methods scored besides the fit's own, from the same out-of-sample forecasts (only the
   * calibration walk is repeated), so methods compare on identical predictions.
   * @defaultValue []
   */
  alsoIntervals?: readonly ConformalMethod[];
}

/**
 * Evaluates one model kind walk-forward on a ticker's bars, as `compareModels` does for each of its
 * models (features, folds and calibration depend on the bars and settings only, so every model of a
 * comparison sees the same ones wherever it runs). Pure CPU; no tracking.
 */
export function scoreModel(
  symbol: string,
  bars: readonly Bar[],
  input: ScoreInput & { model: ModelKind },
  onFold?: (done: number, total: number) => void,
): ScoredModel {
  const share = fitShare(symbol, bars, input, {
    share: WHOLE_FIT,
    final: false,
    ...(onFold ? { onFold } : {}),
  });
  return scoredOfShares(symbol, input, [share]);
}

/** A comparison's scores for one model from its shares; seconds run from the first share's start to the last's end. */
export function scoredOfShares(
  symbol: string,
  input: ScoreInput & { model: ModelKind },
  shares: readonly ShareResult[],
): ScoredModel {
  const { alsoIntervals = [], ...settings } = input;
  const { built, report } = combineShares(symbol, settings, shares);
  const started = Math.min(...shares.map((r) => r.startedAt));
  const ended = Math.max(...shares.map((r) => r.endedAt));
  const scoreOf = (r: WalkForwardReport): ModelScore => ({
    model: input.model,
    ...summarizeReport(r),
    seconds: (ended - started) / 1000,
  });
  return {
    walkForward: resolveWalkForward(built.labeled.nRows, walkForwardOf(input), symbol),
    testFrom: report.predictions[0]?.date ?? '',
    testTo: report.predictions.at(-1)?.date ?? '',
    score: scoreOf(report),
    alsoScored: alsoIntervals.map((method) =>
      scoreOf(
        combineShares(symbol, { ...settings, conformal: { ...settings.conformal, method } }, shares)
          .report,
      ),
    ),
    fitThreads: shares.map((r) => r.threadId),
  };
}
