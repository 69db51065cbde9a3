// Model comparison: several model kinds on one walk-forward (same features, folds and calibration), side by side.
import {
  buildDataset,
  createModel,
  DEFAULT_FEATURE_SET,
  evaluateWalkForward,
  featureSetKey,
  getFeatureSet,
  InsufficientHistoryError,
  normalizeSymbol,
  resolveWalkForward,
  toSeries,
  UnknownTickerError,
  type Bar,
  type ModelKind,
  type WalkForwardOptions,
} from '../core/index.js';
import type { PipelineDeps } from './deps.js';
import {
  barsNeeded,
  coverageByLevel,
  walkForwardOf,
  widthByLevel,
  type FitSettings,
} from './model-fit.js';

export interface CompareInput extends Omit<FitSettings, 'model' | 'onFold'> {
  ticker: string;
  models: readonly ModelKind[];
}

export interface ModelScore {
  model: ModelKind;
  rmse: number;
  rmseNaive: number;
  skill: number;
  mae: number;
  mape: number;
  directionAccuracy: number;
  upRate: number;
  dmPValue: number;
  coverage: Record<string, number>;
  intervalWidth: Record<string, number>;
  folds: number;
  /** Wall-clock seconds for this model's walk-forward (fits, tuning and predictions). */
  seconds: number;
}

export interface Comparison {
  ticker: string;
  horizon: number;
  featureSet: string;
  rows: number;
  from: string;
  to: string;
  walkForward: Required<WalkForwardOptions>;
  models: ModelScore[];
}

/** Progress of a comparison: which model, and folds done of the total over all models. */
export type CompareProgress = (p: { model: ModelKind; done: number; total: number }) => void;

/** Runs every model on the same walk-forward of one ticker's bars. Pure CPU; no tracking. */
export function compareModels(
  symbol: string,
  bars: readonly Bar[],
  input: CompareInput,
  onProgress?: CompareProgress,
): Comparison {
  const featureSet = getFeatureSet(input.featureSet ?? DEFAULT_FEATURE_SET);
  const needed = barsNeeded(input);
  if (bars.length < needed) {
    throw new InsufficientHistoryError(symbol, needed, bars.length);
  }
  const built = buildDataset(toSeries(symbol, bars), featureSet, input.horizon);
  const wf = walkForwardOf(input);
  const resolved = resolveWalkForward(built.labeled.nRows, wf, symbol);
  let done = 0;
  let total = 0;
  const models: ModelScore[] = input.models.map((kind) => {
    const started = Date.now();
    const report = evaluateWalkForward(
      built.labeled,
      () => createModel(kind, input.modelOptions),
      wf,
      symbol,
      {
        ...(input.conformal ? { conformal: input.conformal } : {}),
        onFold: (_d, perModel) => {
          total = perModel * input.models.length;
          done++;
          onProgress?.({ model: kind, done, total });
        },
      },
    );
    const o = report.overall;
    return {
      model: kind,
      rmse: o.rmse,
      rmseNaive: o.rmseNaive,
      skill: o.skill,
      mae: o.mae,
      mape: o.mape,
      directionAccuracy: o.directionAccuracy,
      upRate: o.upRate,
      dmPValue: o.dmPValue,
      coverage: coverageByLevel(report),
      intervalWidth: widthByLevel(report),
      folds: report.folds.length,
      seconds: (Date.now() - started) / 1000,
    };
  });
  return {
    ticker: symbol,
    horizon: input.horizon,
    featureSet: featureSetKey(featureSet),
    rows: bars.length,
    from: bars[0]?.date ?? '',
    to: bars[bars.length - 1]?.date ?? '',
    walkForward: resolved,
    models,
  };
}

/** Reads the ticker's bars from the store and compares the models on them. */
export async function evaluateModels(
  deps: Pick<PipelineDeps, 'prices'>,
  input: CompareInput,
  onProgress?: CompareProgress,
): Promise<Comparison> {
  const symbol = normalizeSymbol(input.ticker);
  const bars = await deps.prices.getBars(symbol);
  if (bars.length === 0) {
    throw new UnknownTickerError(symbol);
  }
  return compareModels(symbol, bars, input, onProgress);
}
