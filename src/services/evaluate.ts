// Model comparison: several model kinds on one walk-forward (same features, folds and calibration), side by side.
import {
  DEFAULT_FEATURE_SET,
  featureSetKey,
  getFeatureSet,
  InsufficientHistoryError,
  InvalidInputError,
  UnknownTickerError,
  type Bar,
  type ConformalMethod,
  type ModelKind,
  type TickerSymbol,
  type WalkForwardOptions,
} from '../core/index.js';
import type { ServiceDeps } from './deps.js';
import { inThreadFitter, type Fitter } from './fit-pool.js';
import {
  barsNeeded,
  scoreModel,
  type FitSettings,
  type ModelScore,
  type ScoredModel,
  type ScoreInput,
} from './model-fit.js';

export interface CompareInput extends Omit<FitSettings, 'model' | 'onFold'> {
  ticker: TickerSymbol;
  models: readonly ModelKind[];
  /**
   * Conformal methods to score, each from the same forecasts: one row per model and method.
   * @defaultValue [conformal.method ?? 'volatility']
   */
  intervalMethods?: readonly ConformalMethod[];
}

export interface Comparison {
  ticker: string;
  horizon: number;
  featureSet: string;
  rows: number;
  from: string;
  to: string;
  walkForward: Required<WalkForwardOptions>;
  /** First and last date forecast out of sample (the same for every model). */
  testFrom: string;
  testTo: string;
  /** One score per model and interval method, in model order, then method order. */
  models: ModelScore[];
}

/** Progress of a comparison: which model, and folds done of the total over all models. */
export type CompareProgress = (p: { model: ModelKind; done: number; total: number }) => void;

function comparisonOf(
  symbol: string,
  bars: readonly Bar[],
  input: CompareInput,
  scored: readonly ScoredModel[],
): Comparison {
  const featureSet = getFeatureSet(input.featureSet ?? DEFAULT_FEATURE_SET);
  const first = scored[0];
  if (!first) {
    throw new InvalidInputError('models', 'name at least one model kind to compare');
  }
  return {
    ticker: symbol,
    horizon: input.horizon,
    featureSet: featureSetKey(featureSet),
    rows: bars.length,
    from: bars[0]?.date ?? '',
    to: bars[bars.length - 1]?.date ?? '',
    walkForward: first.walkForward,
    testFrom: first.testFrom,
    testTo: first.testTo,
    models: scored.flatMap((m) => [m.score, ...m.alsoScored]),
  };
}

const perModel = (input: CompareInput, kind: ModelKind): ScoreInput & { model: ModelKind } => {
  const { ticker: _ticker, models: _models, intervalMethods, ...settings } = input;
  const [method, ...also] = intervalMethods ?? [];
  return {
    ...settings,
    model: kind,
    ...(method ? { conformal: { ...settings.conformal, method } } : {}),
    ...(also.length > 0 ? { alsoIntervals: also } : {}),
  };
};

/** Progress over all models of a comparison from each model's own fold counts. */
function progressOf(input: CompareInput, onProgress?: CompareProgress) {
  let done = 0;
  return (kind: ModelKind) =>
    onProgress
      ? (_done: number, folds: number) => {
          done++;
          onProgress({ model: kind, done, total: folds * input.models.length });
        }
      : undefined;
}

/** Runs every model on the same walk-forward of one ticker's bars, one after the other on this thread. */
export function compareModels(
  symbol: string,
  bars: readonly Bar[],
  input: CompareInput,
  onProgress?: CompareProgress,
): Comparison {
  const progress = progressOf(input, onProgress);
  const scored = input.models.map((kind) =>
    scoreModel(symbol, bars, perModel(input, kind), progress(kind)),
  );
  return comparisonOf(symbol, bars, input, scored);
}

/**
 * The same comparison with each model's walk-forward on the fitter: side by side on a pool's threads,
 * and without blocking this thread's event loop.
 */
export async function compareModelsOn(
  fitter: Fitter,
  symbol: string,
  bars: readonly Bar[],
  input: CompareInput,
  onProgress?: CompareProgress,
  signal?: AbortSignal,
): Promise<Comparison> {
  const needed = barsNeeded(input);
  if (bars.length < needed) {
    throw new InsufficientHistoryError(symbol, needed, bars.length);
  }
  const progress = progressOf(input, onProgress);
  const scored = await Promise.all(
    input.models.map((kind) => {
      const onFold = progress(kind);
      return fitter.score(symbol, bars, perModel(input, kind), {
        ...(onFold ? { onFold } : {}),
        ...(signal ? { signal } : {}),
      });
    }),
  );
  return comparisonOf(symbol, bars, input, scored);
}

/** Reads the ticker's bars from the store and compares the models on them. */
export async function evaluateModels(
  deps: Pick<ServiceDeps, 'prices' | 'fitter'>,
  input: CompareInput,
  onProgress?: CompareProgress,
): Promise<Comparison> {
  const symbol = input.ticker;
  const bars = await deps.prices.getBars(symbol);
  if (bars.length === 0) {
    throw new UnknownTickerError(symbol);
  }
  return compareModelsOn(deps.fitter ?? inThreadFitter, symbol, bars, input, onProgress);
}
