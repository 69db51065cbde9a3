// Training: features -> walk-forward evaluation beside naive -> final fit -> tracked run -> registered version.
import {
  InsufficientHistoryError,
  modelName,
  UnknownTickerError,
  type ConformalOptions,
  type ModelJson,
  type ModelKind,
  type ModelOptions,
  type ModelVersion,
  type TickerSymbol,
  type WalkForwardOptions,
  type WalkForwardReport,
} from '../core/index.js';
import { STOCKOPS_VERSION } from '../version.js';
import type { ServiceDeps } from './deps.js';
import { snapshotDataset } from './etl-snapshot.js';
import { inThreadFitter } from './fit-pool.js';
import { logMonitoringReference } from './monitoring-reference.js';
import { ETL_RUN_TAG, lastEtlRunOf } from './registry-audit.js';
import {
  barsNeeded,
  fitParams,
  intervalMetricPoints,
  summarizeReport,
  trackTuningTrials,
  type TrainMetrics,
} from './model-fit.js';
import { naiveVersion } from './promote.js';
import { gateVersion } from './promotion-lock.js';

export interface TrainInput {
  ticker: TickerSymbol;
  model: ModelKind;
  horizon: number;
  /** Walk-forward settings; purge defaults to the horizon. */
  walkForward?: Partial<WalkForwardOptions>;
  /** Who asked, for the alias log. @defaultValue 'system' */
  actor?: string;
  /** `id@version` of the feature set. @defaultValue 'alpha@1' */
  featureSet?: string;
  /** Per-kind model options (ridge alphas, GBDT grid, ensemble members). @defaultValue {} */
  modelOptions?: ModelOptions;
  /** Interval levels and adaptive-conformal settings. @defaultValue levels 0.8 and 0.95 */
  conformal?: ConformalOptions;
  /** First bar date trained on (YYYY-MM-DD), e.g. a recipe's window start. @defaultValue the whole history */
  from?: string;
}

/** How a training is run: cancellation, extra run tags, progress. */
export interface TrainOptions {
  /** Aborting stops the fit; a tracked run already created is ended KILLED. */
  signal?: AbortSignal;
  /** Tags set on the tracked run when it is created, e.g. the flow run it belongs to. @defaultValue {} */
  tags?: Record<string, string>;
  /** Progress after each walk-forward fold. */
  onFold?: (done: number, total: number) => void;
}

export interface TrackedTraining {
  runId: string;
  modelName: string;
  metrics: TrainMetrics;
  report: WalkForwardReport;
}

export interface TrainResult extends TrackedTraining {
  modelVersion: number;
  promoted: boolean;
  /** Why the new version did or did not become champion. */
  decision: string;
}

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2));

/**
 * Evaluates one model kind walk-forward, fits it on all labeled rows and records everything as a tracked run.
 * The run is RUNNING while the fit works (on `deps.fitter`); input errors are said before it exists.
 */
export async function trainTracked(
  deps: ServiceDeps,
  input: TrainInput,
  options: TrainOptions = {},
): Promise<TrackedTraining & { model: ModelJson }> {
  const symbol = input.ticker;
  const stored = await deps.prices.getBars(symbol);
  if (stored.length === 0) {
    throw new UnknownTickerError(symbol);
  }
  const from = input.from;
  const bars = from === undefined ? stored : stored.filter((b) => b.date >= from);
  const needed = barsNeeded(input);
  if (bars.length < needed) {
    throw new InsufficientHistoryError(symbol, needed, bars.length);
  }
  const name = modelName(symbol, input.horizon);
  const experiment = await deps.tracker.getOrCreateExperiment(name);
  // The bars go into a Parquet snapshot named by its digest (etl-snapshot.ts): the run traces back to exact bytes.
  const dataset = await snapshotDataset(deps, symbol, bars);
  const digest = dataset.digest;
  const etlRunId = await lastEtlRunOf(deps.etlRuns, symbol);
  const run = await deps.tracker.createRun({
    experimentId: experiment.id,
    name: `${input.model}-h${input.horizon}`,
    tags: {
      'stockops.ticker': symbol,
      'stockops.horizon': String(input.horizon),
      'stockops.model': input.model,
      'stockops.version': STOCKOPS_VERSION,
      'stockops.data.digest': digest,
      ...(etlRunId !== null ? { [ETL_RUN_TAG]: etlRunId } : {}),
      ...options.tags,
    },
  });
  try {
    // Features, walk-forward evaluation with intervals and the final fit: the CPU part, off this thread.
    const fit = await (deps.fitter ?? inThreadFitter).fit(
      symbol,
      bars,
      {
        model: input.model,
        horizon: input.horizon,
        ...(input.walkForward ? { walkForward: input.walkForward } : {}),
        ...(input.featureSet !== undefined ? { featureSet: input.featureSet } : {}),
        ...(input.modelOptions ? { modelOptions: input.modelOptions } : {}),
        ...(input.conformal ? { conformal: input.conformal } : {}),
      },
      {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onFold ? { onFold: options.onFold } : {}),
      },
    );
    const { featureSet, report, final, modelJson } = fit;
    const metrics = summarizeReport(report);
    await deps.tracker.logParams(run.id, {
      model: input.model,
      horizon: String(input.horizon),
      target: `log return of adjusted close over ${input.horizon} trading day(s)`,
      ...fitParams(fit),
      'wf.initial_train': String(report.options.initialTrain),
      'wf.step': String(report.options.step),
      'wf.purge': String(report.options.purge),
      'wf.embargo': String(report.options.embargo),
      'wf.window': report.options.window,
      'data.rows': String(bars.length),
      'data.from': bars[0]?.date ?? '',
      'data.to': bars[bars.length - 1]?.date ?? '',
      ...(options.tags?.['stockops.recipe'] !== undefined
        ? { recipe: options.tags['stockops.recipe'] }
        : {}),
      ...Object.fromEntries(
        Object.entries(final.params()).map(([k, v]) => [`final.${k}`, String(v)]),
      ),
    });
    await deps.tracker.logDataset(run.id, {
      name: `${symbol} daily bars`,
      digest,
      source: dataset.uri,
      from: bars[0]?.date ?? '',
      to: bars[bars.length - 1]?.date ?? '',
      rows: bars.length,
    });
    const ts = Date.now();
    const overall = {
      rmse: metrics.rmse,
      rmse_naive: metrics.rmseNaive,
      skill: metrics.skill,
      mae: metrics.mae,
      mape: metrics.mape,
      direction_accuracy: metrics.directionAccuracy,
      up_rate: metrics.upRate,
      dm_p_value: metrics.dmPValue,
      folds: metrics.folds,
    };
    await deps.tracker.logMetrics(run.id, [
      ...Object.entries(overall).map(([key, value]) => ({ key, value, step: 0, timestamp: ts })),
      ...report.folds.flatMap((f) => [
        { key: 'fold_rmse', value: f.metrics.rmse, step: f.index, timestamp: ts },
        { key: 'fold_rmse_naive', value: f.metrics.rmseNaive, step: f.index, timestamp: ts },
        { key: 'fold_skill', value: f.metrics.skill, step: f.index, timestamp: ts },
        {
          key: 'fold_direction_accuracy',
          value: f.metrics.directionAccuracy,
          step: f.index,
          timestamp: ts,
        },
      ]),
      ...intervalMetricPoints(report, ts),
    ]);
    await deps.tracker.logArtifact(run.id, 'model/model.json', enc(modelJson));
    await deps.tracker.logArtifact(run.id, 'model/conformal.json', enc(fit.conformal));
    await deps.tracker.logArtifact(run.id, 'evaluation/report.json', enc(report));
    // What monitoring compares live rows with, so it never reads this training window again.
    await logMonitoringReference(deps, run.id, { ticker: symbol, horizon: input.horizon }, fit);
    await deps.tracker.logArtifact(
      run.id,
      'features.json',
      enc({
        id: featureSet.id,
        version: featureSet.version,
        lookback: featureSet.lookback,
        features: featureSet.features.map((f) => ({ name: f.name, description: f.description })),
      }),
    );
    await trackTuningTrials(
      deps.tracker,
      experiment.id,
      { id: run.id, model: input.model, horizon: input.horizon },
      report,
      final.tuningTrials(),
    );
    await deps.tracker.endRun(run.id, 'FINISHED');
    return { runId: run.id, modelName: name, metrics, report, model: modelJson };
  } catch (e) {
    // MLflow's statuses: KILLED for a run stopped on purpose (cancel, timeout), FAILED for an error.
    await deps.tracker.endRun(run.id, options.signal?.aborted ? 'KILLED' : 'FAILED');
    throw e;
  }
}

/** Registers a tracked run's model as a new version of its registered model. */
export async function registerVersion(
  deps: ServiceDeps,
  t: TrackedTraining & { model: ModelJson },
): Promise<ModelVersion> {
  await deps.registry.ensureModel(t.modelName);
  return deps.registry.createVersion({
    name: t.modelName,
    source: `runs:/${t.runId}/model`,
    runId: t.runId,
    tags: {
      kind: t.model.kind,
      horizon: String(t.model.horizon),
      rmse: String(t.metrics.rmse),
      rmse_naive: String(t.metrics.rmseNaive),
      skill: String(t.metrics.skill),
      feature_set: t.model.featureSet ?? 'basic@1',
      ...Object.fromEntries(
        Object.entries(t.metrics.coverage).map(([k, v]) => [`coverage_${k}`, String(v)]),
      ),
    },
  });
}

/**
 * Naive is the floor: before any other version of a (ticker, horizon) is gated, the registered model
 * holds a naive version, trained on the same bars and settings and gated like any other (the first one
 * becomes champion), so a version that does not beat naive leaves naive serving. Returns the newest
 * naive version, training one only when there is none.
 */
export async function ensureNaiveFloor(
  deps: ServiceDeps,
  input: Omit<TrainInput, 'model'>,
  options: TrainOptions = {},
): Promise<{ version: ModelVersion; trained: boolean; decision: string | null }> {
  const name = modelName(input.ticker, input.horizon);
  await deps.registry.ensureModel(name);
  const existing = await naiveVersion(deps, name);
  if (existing) {
    return { version: existing, trained: false, decision: null };
  }
  const t = await trainTracked(deps, { ...input, model: 'naive' }, options);
  const version = await registerVersion(deps, t);
  const gate = await gateVersion(deps, version, t, input.actor ?? 'system');
  await deps.tracker.setTags(t.runId, { 'stockops.registered_version': String(version.version) });
  return { version, trained: true, decision: gate.decision };
}

/** Trains, tracks, registers and (if it earns it) promotes one model, naive registered first as the floor. */
export async function trainModel(deps: ServiceDeps, input: TrainInput): Promise<TrainResult> {
  if (input.model !== 'naive') {
    await ensureNaiveFloor(deps, input);
  }
  const t = await trainTracked(deps, input);
  const version = await registerVersion(deps, t);
  const { promoted, decision } = await gateVersion(deps, version, t, input.actor ?? 'system');
  await deps.tracker.setTags(t.runId, { 'stockops.registered_version': String(version.version) });
  return {
    runId: t.runId,
    modelName: t.modelName,
    metrics: t.metrics,
    report: t.report,
    modelVersion: version.version,
    promoted,
    decision,
  };
}
