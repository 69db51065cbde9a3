// Serving: resolve the champion on every call (so alias moves apply at once), build the live feature row, predict.
import {
  basicFeatureSet,
  buildDataset,
  calendarFor,
  InsufficientHistoryError,
  ModelNotFoundError,
  modelFromJSON,
  normalizeSymbol,
  toSeries,
  tradingDayAfter,
  UnknownTickerError,
  type Model,
  type ModelJson,
} from '../core/index.js';
import { modelName, type PipelineDeps } from './deps.js';

export interface Prediction {
  ticker: string;
  asOf: string;
  horizon: number;
  targetDate: string;
  lastClose: number;
  predictedClose: number;
  predictedReturn: number;
  modelVersion: number;
  model: {
    name: string;
    version: number;
    kind: string;
    runId: string;
    metrics: Record<string, number>;
  };
  baseline: { predictedClose: number };
}

/** Loaded models by name@version: versions are immutable, so the cache never goes stale. */
export class ModelCache {
  private readonly models = new Map<string, Model>();
  private readonly limit: number;
  constructor(limit = 64) {
    this.limit = limit;
  }
  async get(key: string, load: () => Promise<Model>): Promise<Model> {
    const hit = this.models.get(key);
    if (hit) {
      return hit;
    }
    const m = await load();
    if (this.models.size >= this.limit) {
      const oldest = this.models.keys().next();
      if (!oldest.done) {
        this.models.delete(oldest.value);
      }
    }
    this.models.set(key, m);
    return m;
  }
}

export async function predict(
  deps: PipelineDeps,
  cache: ModelCache,
  input: { ticker: string; horizon: number },
): Promise<Prediction> {
  const symbol = normalizeSymbol(input.ticker);
  const summary = await deps.prices.getTicker(symbol);
  if (!summary) {
    throw new UnknownTickerError(symbol);
  }
  const name = modelName(symbol, input.horizon);
  const version = await deps.registry.getVersionByAlias(name, 'champion');
  if (!version) {
    throw new ModelNotFoundError(
      `no champion for ${symbol} at horizon ${input.horizon}; train one with POST /api/train {"ticker":"${symbol}","horizon":${input.horizon}}`,
    );
  }
  const model = await cache.get(`${name}@${version.version}`, async () => {
    const bytes = await deps.tracker.getArtifact(version.runId, 'model/model.json');
    return modelFromJSON(JSON.parse(new TextDecoder().decode(bytes)) as ModelJson);
  });
  const featureSet = basicFeatureSet;
  // Only the look-back window is needed for the live row; a margin keeps rolling windows exact.
  const from = new Date(`${summary.lastDate}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - Math.ceil(featureSet.lookback * 2 + 30));
  const bars = await deps.prices.getBars(symbol, { from: from.toISOString().slice(0, 10) });
  if (bars.length <= featureSet.lookback) {
    throw new InsufficientHistoryError(symbol, featureSet.lookback + 1, bars.length);
  }
  const built = buildDataset(toSeries(symbol, bars), featureSet, input.horizon);
  const r = model.predict(built.latest)[0] ?? 0;
  const run = await deps.tracker.getRun(version.runId).catch(() => null);
  const metricKeys: Record<string, string> = {
    rmse: 'rmse',
    rmseNaive: 'rmse_naive',
    skill: 'skill',
    directionAccuracy: 'direction_accuracy',
    upRate: 'up_rate',
    folds: 'folds',
    mape: 'mape',
    dmPValue: 'dm_p_value',
  };
  const metrics: Record<string, number> = {};
  for (const [k, src] of Object.entries(metricKeys)) {
    const v = run?.metrics[src];
    if (v !== undefined) {
      metrics[k] = v;
    }
  }
  return {
    ticker: symbol,
    asOf: built.latestDate,
    horizon: input.horizon,
    targetDate: tradingDayAfter(calendarFor(symbol), built.latestDate, input.horizon),
    lastClose: built.latestClose,
    predictedClose: built.latestClose * Math.exp(r),
    predictedReturn: r,
    modelVersion: version.version,
    model: { name, version: version.version, kind: model.kind, runId: version.runId, metrics },
    baseline: { predictedClose: built.latestClose },
  };
}
