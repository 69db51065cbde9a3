// Runs a model factory through walk-forward folds, scores the out-of-sample predictions and calibrates intervals.
import { InternalError, MissingLabelsError } from '../errors/index.js';
import type { Dataset } from '../features/index.js';
import { sliceRows } from '../features/index.js';
import type { Model, TuningTrial } from '../models/index.js';
import {
  AdaptiveConformal,
  conformalWalk,
  intervalMetrics,
  volatilityThirds,
  type ConformalOptions,
  type ConformalRow,
  type ConformalState,
  type IntervalMetrics,
  type PredictionInterval,
  type VolatilityThirds,
} from './conformal.js';
import { forecastMetrics, type ForecastMetrics } from './metrics.js';
import {
  resolveWalkForward,
  walkForwardSplits,
  type Fold,
  type WalkForwardOptions,
} from './walk-forward.js';

export interface FoldReport extends Fold {
  trainFrom: string;
  trainTo: string;
  testFrom: string;
  testTo: string;
  params: Record<string, number | string>;
  metrics: ForecastMetrics;
  /** Coverage and width of the fold's intervals, per level. */
  intervals: IntervalMetrics[];
  /** Hyperparameter settings tried inside this fold's training window. */
  trials: readonly TuningTrial[];
  /** Features dropped or imputed because they were missing in this fold's training window. */
  preprocessing: { dropped: string[]; imputed: string[] };
}

export interface WalkForwardReport {
  options: Required<WalkForwardOptions>;
  folds: FoldReport[];
  /** Metrics over all test rows of all folds, concatenated. */
  overall: ForecastMetrics;
  /** Empirical coverage, mean width and interval score over all test rows, per level. */
  intervals: IntervalMetrics[];
  /**
   * The same per third of the test rows sorted by the volatility known at forecast time. Absent in
   * reports written before volatility was recorded.
   */
  byVolatility?: VolatilityThirds;
  /** Out-of-sample predictions in date order, with the intervals issued before each outcome. */
  predictions: {
    date: string;
    actual: number;
    predicted: number;
    /** Daily volatility known at the row's date (absent in older reports). */
    sigma?: number;
    intervals: PredictionInterval[];
  }[];
  /** The calibrator after the last out-of-sample outcome: what serving starts from. */
  conformal: ConformalState;
}

export interface EvaluateExtras {
  conformal?: ConformalOptions;
  /** Called after each fold: for progress bars. */
  onFold?: (done: number, total: number) => void;
}

/** What one fold's fit produced: its out-of-sample predictions and what the model learned and tried. */
export interface FoldFit {
  /** Index of the fold in `walkForwardSplits` order. */
  index: number;
  /** Predictions for the fold's test rows, in row order. */
  predicted: Float64Array;
  params: Record<string, number | string>;
  trials: readonly TuningTrial[];
  preprocessing: { dropped: string[]; imputed: string[] };
}

/** Fits a fresh model on the fold's training rows (nothing else) and predicts its test rows. */
export function fitFold(ds: Dataset, fold: Fold, makeModel: () => Model): FoldFit {
  const model = makeModel();
  model.fit(sliceRows(ds, { start: fold.trainStart, end: fold.trainEnd }));
  return {
    index: fold.index,
    predicted: model.predict(sliceRows(ds, { start: fold.testStart, end: fold.testEnd })),
    params: model.params(),
    trials: model.tuningTrials(),
    preprocessing: model.preprocessing(),
  };
}

export function evaluateWalkForward(
  ds: Dataset,
  makeModel: () => Model,
  options: WalkForwardOptions,
  symbol = '?',
  extras: EvaluateExtras = {},
): WalkForwardReport {
  const folds = walkForwardSplits(ds.nRows, options, symbol);
  const fits = folds.map((fold, k) => {
    const fit = fitFold(ds, fold, makeModel);
    extras.onFold?.(k + 1, folds.length);
    return fit;
  });
  return assembleWalkForward(ds, options, symbol, fits, extras);
}

/**
 * The report of a walk-forward from its fold fits, wherever they ran (in any order): scores, and the
 * intervals issued by one calibrator walked over the out-of-sample rows in date order.
 */
export function assembleWalkForward(
  ds: Dataset,
  options: WalkForwardOptions,
  symbol: string,
  foldFits: readonly FoldFit[],
  extras: Pick<EvaluateExtras, 'conformal'> = {},
): WalkForwardReport {
  if (!ds.y) {
    throw new MissingLabelsError('assembleWalkForward', 'rows without labels');
  }
  const folds = walkForwardSplits(ds.nRows, options, symbol);
  const byIndex = new Map(foldFits.map((f) => [f.index, f]));
  const rows: ConformalRow[] = [];
  const fitted = folds.map((fold) => {
    const fit = byIndex.get(fold.index);
    if (fit?.predicted.length !== fold.testEnd - fold.testStart) {
      throw new InternalError(
        `assembleWalkForward has no predictions for fold ${fold.index}: expected ` +
          `${fold.testEnd - fold.testStart}, found ${fit ? fit.predicted.length : 'no fit of that fold'}.`,
      );
    }
    const foldRows: ConformalRow[] = [];
    for (let i = 0; i < fit.predicted.length; i++) {
      foldRows.push({
        date: ds.dates[fold.testStart + i] ?? '',
        actual: ds.y?.[fold.testStart + i] ?? 0,
        predicted: fit.predicted[i] ?? 0,
        ...(ds.volatility ? { sigma: ds.volatility[fold.testStart + i] ?? Number.NaN } : {}),
      });
    }
    rows.push(...foldRows);
    return { fold, fit, rows: foldRows };
  });
  // Test windows tile consecutive rows, so one walk over all of them issues every interval from
  // outcomes that were known by its date (conformalWalk holds each outcome back `horizon` rows), each
  // scaled by the volatility known at its own date.
  const aci = AdaptiveConformal.create(extras.conformal, ds.horizon);
  const issued = conformalWalk(aci, rows, ds.horizon);
  const levels = aci.levels;
  let offset = 0;
  const reports: FoldReport[] = fitted.map(({ fold, fit, rows: fr }) => {
    const foldIssued = issued.slice(offset, offset + fr.length);
    offset += fr.length;
    const train = { from: ds.dates[fold.trainStart] ?? '', to: ds.dates[fold.trainEnd - 1] ?? '' };
    return {
      ...fold,
      trainFrom: train.from,
      trainTo: train.to,
      testFrom: fr[0]?.date ?? '',
      testTo: fr[fr.length - 1]?.date ?? '',
      params: fit.params,
      metrics: forecastMetrics(
        Float64Array.from(fr, (r) => r.actual),
        Float64Array.from(fr, (r) => r.predicted),
        ds.horizon,
      ),
      intervals: intervalMetrics(levels, fr, foldIssued),
      trials: fit.trials,
      preprocessing: fit.preprocessing,
    };
  });
  return {
    options: resolveWalkForward(ds.nRows, options, symbol),
    folds: reports,
    overall: forecastMetrics(
      Float64Array.from(rows, (r) => r.actual),
      Float64Array.from(rows, (r) => r.predicted),
      ds.horizon,
    ),
    intervals: intervalMetrics(levels, rows, issued),
    byVolatility: volatilityThirds(levels, rows, issued),
    predictions: rows.map((r, i) => {
      const hw = issued[i];
      return {
        ...r,
        intervals: hw
          ? levels.map((level, k) => ({
              level,
              lower: r.predicted - (hw[k] ?? 0),
              upper: r.predicted + (hw[k] ?? 0),
            }))
          : [],
      };
    }),
    conformal: aci.toJSON(),
  };
}
