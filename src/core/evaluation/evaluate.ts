// Runs a model factory through walk-forward folds, scores the out-of-sample predictions and calibrates intervals.
import type { Dataset } from '../features/index.js';
import { sliceRows } from '../features/index.js';
import type { Model, TuningTrial } from '../models/index.js';
import {
  AdaptiveConformal,
  conformalWalk,
  intervalMetrics,
  type ConformalOptions,
  type ConformalRow,
  type ConformalState,
  type IntervalMetrics,
  type PredictionInterval,
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
  /** Empirical coverage and mean width over all test rows, per level. */
  intervals: IntervalMetrics[];
  /** Out-of-sample predictions in date order, with the intervals issued before each outcome. */
  predictions: {
    date: string;
    actual: number;
    predicted: number;
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

export function evaluateWalkForward(
  ds: Dataset,
  makeModel: () => Model,
  options: WalkForwardOptions,
  symbol = '?',
  extras: EvaluateExtras = {},
): WalkForwardReport {
  if (!ds.y) {
    throw new Error('evaluateWalkForward needs a labeled dataset');
  }
  const folds = walkForwardSplits(ds.nRows, options, symbol);
  const fitted: { fold: Fold; model: Model; rows: ConformalRow[] }[] = [];
  const rows: ConformalRow[] = [];
  for (const fold of folds) {
    // The model (and its imputer, scaler and tuning) sees the training slice and nothing else.
    const train = sliceRows(ds, { start: fold.trainStart, end: fold.trainEnd });
    const test = sliceRows(ds, { start: fold.testStart, end: fold.testEnd });
    const model = makeModel();
    model.fit(train);
    const pred = model.predict(test);
    const foldRows: ConformalRow[] = [];
    for (let i = 0; i < test.nRows; i++) {
      foldRows.push({
        date: test.dates[i] ?? '',
        actual: test.y?.[i] ?? 0,
        predicted: pred[i] ?? 0,
      });
    }
    rows.push(...foldRows);
    fitted.push({ fold, model, rows: foldRows });
    extras.onFold?.(fitted.length, folds.length);
  }
  // Test windows tile consecutive rows, so one walk over all of them issues every interval from
  // outcomes that were known by its date (conformalWalk holds each outcome back `horizon` rows).
  const aci = AdaptiveConformal.create(extras.conformal);
  const issued = conformalWalk(aci, rows, ds.horizon);
  const levels = aci.levels;
  let offset = 0;
  const reports: FoldReport[] = fitted.map(({ fold, model, rows: fr }) => {
    const foldIssued = issued.slice(offset, offset + fr.length);
    offset += fr.length;
    const train = { from: ds.dates[fold.trainStart] ?? '', to: ds.dates[fold.trainEnd - 1] ?? '' };
    return {
      ...fold,
      trainFrom: train.from,
      trainTo: train.to,
      testFrom: fr[0]?.date ?? '',
      testTo: fr[fr.length - 1]?.date ?? '',
      params: model.params(),
      metrics: forecastMetrics(
        Float64Array.from(fr, (r) => r.actual),
        Float64Array.from(fr, (r) => r.predicted),
        ds.horizon,
      ),
      intervals: intervalMetrics(levels, fr, foldIssued),
      trials: model.tuningTrials(),
      preprocessing: model.preprocessing(),
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
