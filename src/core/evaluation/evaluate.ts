// Runs a model factory through walk-forward folds and scores the out-of-sample predictions.
import type { Dataset } from '../features/index.js';
import { sliceRows } from '../features/index.js';
import type { Model } from '../models/index.js';
import { forecastMetrics, type ForecastMetrics } from './metrics.js';
import { walkForwardSplits, type Fold, type WalkForwardOptions } from './walk-forward.js';

export interface FoldReport extends Fold {
  trainFrom: string;
  trainTo: string;
  testFrom: string;
  testTo: string;
  params: Record<string, number | string>;
  metrics: ForecastMetrics;
}

export interface WalkForwardReport {
  options: Required<WalkForwardOptions>;
  folds: FoldReport[];
  /** Metrics over all test rows of all folds, concatenated. */
  overall: ForecastMetrics;
  /** Out-of-sample predictions in date order. */
  predictions: { date: string; actual: number; predicted: number }[];
}

export function evaluateWalkForward(
  ds: Dataset,
  makeModel: () => Model,
  options: WalkForwardOptions,
  symbol = '?',
): WalkForwardReport {
  if (!ds.y) {
    throw new Error('evaluateWalkForward needs a labeled dataset');
  }
  const folds = walkForwardSplits(ds.nRows, options, symbol);
  const reports: FoldReport[] = [];
  const predictions: WalkForwardReport['predictions'] = [];
  const allActual: number[] = [];
  const allPred: number[] = [];
  for (const fold of folds) {
    const train = sliceRows(ds, { start: fold.trainStart, end: fold.trainEnd });
    const test = sliceRows(ds, { start: fold.testStart, end: fold.testEnd });
    const model = makeModel();
    model.fit(train);
    const pred = model.predict(test);
    const actual = test.y ?? new Float64Array(test.nRows);
    for (let i = 0; i < test.nRows; i++) {
      predictions.push({
        date: test.dates[i] ?? '',
        actual: actual[i] ?? 0,
        predicted: pred[i] ?? 0,
      });
      allActual.push(actual[i] ?? 0);
      allPred.push(pred[i] ?? 0);
    }
    reports.push({
      ...fold,
      trainFrom: train.dates[0] ?? '',
      trainTo: train.dates[train.nRows - 1] ?? '',
      testFrom: test.dates[0] ?? '',
      testTo: test.dates[test.nRows - 1] ?? '',
      params: model.params(),
      metrics: forecastMetrics(actual, pred, ds.horizon),
    });
  }
  return {
    options: {
      initialTrain: options.initialTrain ?? 1000,
      step: options.step ?? 250,
      purge: options.purge,
      embargo: options.embargo ?? 0,
      window: options.window ?? 'expanding',
    },
    folds: reports,
    overall: forecastMetrics(Float64Array.from(allActual), Float64Array.from(allPred), ds.horizon),
    predictions,
  };
}
