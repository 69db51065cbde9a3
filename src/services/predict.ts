// Serving: resolve the champion on every call (so alias moves apply at once), build the live row with the model's own feature set, predict, attach calibrated intervals.
import {
  AdaptiveConformal,
  addDays,
  ArtifactNotFoundError,
  buildDataset,
  calendarFor,
  conformalWalk,
  getFeatureSet,
  InsufficientHistoryError,
  ModelNotFoundError,
  modelFromJSON,
  normalizeSymbol,
  toSeries,
  tradingDayAfter,
  UnknownTickerError,
  type Bar,
  type ConformalRow,
  type ConformalState,
  type FeatureSet,
  type Model,
  type ModelJson,
  type TradingCalendar,
} from '../core/index.js';
import { modelName, type ServiceDeps } from './deps.js';

/** One conformal interval of the predicted close. */
export interface PriceInterval {
  /** Nominal coverage, e.g. 0.8. */
  level: number;
  lower: number;
  upper: number;
}

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
    featureSet: string;
    metrics: Record<string, number>;
  };
  baseline: { predictedClose: number };
  /** Conformal intervals of the close at targetDate, one per level; empty for models without calibration. */
  interval: PriceInterval[];
}

/** A registered version as served: the model, the feature set it was trained on and its calibrator. */
export interface ServedModel {
  model: Model;
  featureSet: FeatureSet;
  conformal: ConformalState | null;
}

/** Loaded models by name@version: versions are immutable, so the cache never goes stale. */
export class ModelCache {
  private readonly models = new Map<string, ServedModel>();
  private readonly limit: number;
  constructor(limit = 64) {
    this.limit = limit;
  }
  async get(key: string, load: () => Promise<ServedModel>): Promise<ServedModel> {
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

const METRIC_KEYS: Record<string, string> = {
  rmse: 'rmse',
  rmseNaive: 'rmse_naive',
  skill: 'skill',
  directionAccuracy: 'direction_accuracy',
  upRate: 'up_rate',
  folds: 'folds',
  mape: 'mape',
  dmPValue: 'dm_p_value',
  coverage80: 'coverage_80',
  coverage95: 'coverage_95',
};

async function loadServed(deps: ServiceDeps, runId: string): Promise<ServedModel> {
  const read = async (path: string) =>
    JSON.parse(new TextDecoder().decode(await deps.tracker.getArtifact(runId, path))) as unknown;
  const json = (await read('model/model.json')) as ModelJson;
  const model = modelFromJSON(json);
  // Versions trained before intervals existed have no calibrator: they are served without intervals.
  const conformal = (await read('model/conformal.json').catch((e: unknown) => {
    if (e instanceof ArtifactNotFoundError) {
      return null;
    }
    throw e;
  })) as ConformalState | null;
  return { model, featureSet: getFeatureSet(json.featureSet ?? 'basic@1'), conformal };
}

/** Calendar days that surely hold `n` sessions (weekends plus a margin for holiday clusters). */
const calendarDaysFor = (n: number) => Math.ceil((n * 7) / 5) + 20;

/** The champion's forecast for one horizon, with the raw pieces forecast paths are built from. */
export interface DetailedPrediction extends Prediction {
  /** Interval half-widths in log-return units, per level (null while calibrating). */
  halfWidths: { level: number; halfWidth: number }[] | null;
  calendar: TradingCalendar;
}

export async function predictDetailed(
  deps: ServiceDeps,
  cache: ModelCache,
  input: { ticker: string; horizon: number },
): Promise<DetailedPrediction> {
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
  const served = await cache.get(`${name}@${version.version}`, () =>
    loadServed(deps, version.runId),
  );
  const { model, featureSet, conformal } = served;
  const bars = await deps.prices.getBars(symbol, {
    ...servingRange(symbol, summary.lastDate, featureSet, conformal),
  });
  // Features only for the rows serving reads: the live row and those labeled since the calibrator's
  // last update (the values are the same as over the whole history; see FeatureSpec.compute).
  const since = conformal?.lastDate ?? '';
  const firstUnseen = bars.findIndex((b: Bar) => b.date > since);
  const built = buildDataset(toSeries(symbol, bars), featureSet, input.horizon, {
    from: conformal && firstUnseen >= 0 ? firstUnseen : bars.length - 1,
  });
  if (built.latest.nRows === 0) {
    throw new InsufficientHistoryError(symbol, featureSet.lookback + 1, bars.length);
  }
  const r = model.predict(built.latest)[0] ?? 0;
  const halfWidths = conformal ? liveHalfWidths(conformal, model, built) : null;
  const lastClose = built.latestClose;
  const calendar = calendarFor(
    symbol,
    bars.map((b: Bar) => b.date),
  );
  const run = await deps.tracker.getRun(version.runId).catch(() => null);
  const metrics: Record<string, number> = {};
  for (const [k, src] of Object.entries(METRIC_KEYS)) {
    const v = run?.metrics[src];
    if (v !== undefined) {
      metrics[k] = v;
    }
  }
  return {
    ticker: symbol,
    asOf: built.latestDate,
    horizon: input.horizon,
    targetDate: tradingDayAfter(calendar, built.latestDate, input.horizon),
    lastClose,
    predictedClose: lastClose * Math.exp(r),
    predictedReturn: r,
    modelVersion: version.version,
    model: {
      name,
      version: version.version,
      kind: model.kind,
      runId: version.runId,
      featureSet: `${featureSet.id}@${featureSet.version}`,
      metrics,
    },
    baseline: { predictedClose: lastClose },
    interval: (halfWidths ?? []).map(({ level, halfWidth }) => ({
      level,
      lower: lastClose * Math.exp(r - halfWidth),
      upper: lastClose * Math.exp(r + halfWidth),
    })),
    halfWidths,
    calendar,
  };
}

export async function predict(
  deps: ServiceDeps,
  cache: ModelCache,
  input: { ticker: string; horizon: number },
): Promise<Prediction> {
  const { halfWidths: _hw, calendar: _cal, ...p } = await predictDetailed(deps, cache, input);
  return p;
}

/**
 * Bars to read for the live row: the feature set's window, plus the rows the calibrator has not seen
 * yet (their outcomes keep it calibrated), plus six years of sessions where the calendar is learned
 * from history. A feature set with unbounded memory reads everything, so the live row equals the
 * training row.
 */
function servingRange(
  symbol: string,
  lastDate: string,
  set: FeatureSet,
  conformal: ConformalState | null,
): { from?: string } {
  if (set.window === null) {
    return {};
  }
  let from = addDays(lastDate, -calendarDaysFor(set.window));
  if (conformal?.lastDate) {
    const replayFrom = addDays(conformal.lastDate, -calendarDaysFor(set.lookback + 1));
    from = replayFrom < from ? replayFrom : from;
  }
  if (symbol.includes('.')) {
    const history = addDays(lastDate, -6 * 366);
    from = history < from ? history : from;
  }
  return { from };
}

/**
 * Adaptive conformal inference kept calibrated online: rows labeled since the version was trained
 * are predicted and their outcomes folded in (each only once its label date has passed), then the
 * live row's half-widths are read. Nothing is written back: the same bars give the same intervals.
 */
function liveHalfWidths(
  state: ConformalState,
  model: Model,
  built: ReturnType<typeof buildDataset>,
): { level: number; halfWidth: number }[] | null {
  const aci = AdaptiveConformal.fromJSON(state);
  const since = state.lastDate ?? '';
  const ds = built.labeled;
  const first = ds.dates.findIndex((d) => d > since);
  if (first >= 0) {
    const newRows = {
      ...ds,
      nRows: ds.nRows - first,
      dates: ds.dates.slice(first),
      X: ds.X.subarray(first * ds.nCols),
      y: ds.y ? ds.y.subarray(first) : null,
    };
    const pred = model.predict(newRows);
    const rows: ConformalRow[] = newRows.dates.map((date, i) => ({
      date,
      predicted: pred[i] ?? 0,
      actual: newRows.y?.[i] ?? 0,
    }));
    conformalWalk(aci, rows, ds.horizon);
  }
  const hw = aci.halfWidths();
  return hw ? aci.levels.map((level, k) => ({ level, halfWidth: hw[k] ?? 0 })) : null;
}
