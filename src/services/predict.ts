// Serving: the champion's forecast for one horizon, from the live row its own feature set builds, with calibrated intervals.
import {
  AdaptiveConformal,
  addDays,
  buildDataset,
  calendarFor,
  conformalWalk,
  InsufficientHistoryError,
  toSeries,
  tradingDayAfter,
  UnknownTickerError,
  type Bar,
  type ConformalRow,
  type ConformalState,
  type FeatureSet,
  type Horizon,
  type Model,
  type ServedForecast,
  type ServedVia,
  type TickerSummary,
  type TickerSymbol,
  VOLATILITY_WINDOW,
} from '../core/index.js';
import type { Prediction } from '../api/index.js';
import type { PredictStage, ServiceDeps } from './deps.js';
import type { DetailedPrediction } from './detailed-prediction.js';
import type { ServedVersion, ServingCache } from './serving-cache.js';

export type { DetailedPrediction } from './detailed-prediction.js';

/** Bars a live row needs: its features' window, or the volatility forecast's when that is longer. */
const liveWindow = (set: FeatureSet): number | null =>
  set.window === null ? null : Math.max(set.window, VOLATILITY_WINDOW);

/** Calendar days that surely hold `n` sessions (weekends plus a margin for holiday clusters). */
const calendarDaysFor = (n: number) => Math.ceil((n * 7) / 5) + 20;

/**
 * First date of the bars a version needs for its live row: the feature set's window (or the volatility
 * forecast's 251 bars), plus the rows its calibrator has not seen yet (their outcomes keep it
 * calibrated), plus six years of sessions where the calendar is learned from history. Undefined
 * (everything) for a feature set with unbounded memory, so the live row equals the training row.
 */
export function servingFrom(
  symbol: TickerSymbol,
  lastDate: string,
  set: FeatureSet,
  conformal: ConformalState | null,
): string | undefined {
  const window = liveWindow(set);
  if (window === null) {
    return undefined;
  }
  let from = addDays(lastDate, -calendarDaysFor(window));
  if (conformal?.lastDate) {
    const replayFrom = addDays(conformal.lastDate, -calendarDaysFor(window));
    from = replayFrom < from ? replayFrom : from;
  }
  if (symbol.includes('.')) {
    const history = addDays(lastDate, -6 * 366);
    from = history < from ? history : from;
  }
  return from;
}

/** The ticker's summary, or UnknownTickerError (a direct store read; serving goes through the cache). */
export async function requireTicker(
  deps: Pick<ServiceDeps, 'prices'>,
  symbol: TickerSymbol,
): Promise<TickerSummary> {
  const summary = await deps.prices.getTicker(symbol);
  if (!summary) {
    throw new UnknownTickerError(symbol);
  }
  return summary;
}

/**
 * One version's forecast from bars that start at (or before) its servingFrom date. Bars before that
 * date are dropped first, so a forecast is the same whether its bars were read for it alone or for
 * several horizons at once.
 */
export function forecastFrom(
  symbol: TickerSymbol,
  horizon: Horizon,
  served: ServedVersion,
  lastDate: string,
  allBars: readonly Bar[],
  onStage?: (stage: PredictStage, seconds: number) => void,
): DetailedPrediction {
  const { model, featureSet, conformal } = served;
  const t0 = performance.now();
  const from = servingFrom(symbol, lastDate, featureSet, conformal);
  const start = from === undefined ? 0 : allBars.findIndex((b) => b.date >= from);
  const bars = start <= 0 ? allBars : allBars.slice(start);
  // Features only for the rows serving reads: the live row and those labeled since the calibrator's
  // last update (the values are the same as over the whole history; see FeatureSpec.compute).
  const since = conformal?.lastDate ?? '';
  const firstUnseen = bars.findIndex((b) => b.date > since);
  const built = buildDataset(toSeries(symbol, bars), featureSet, horizon, {
    from: conformal && firstUnseen >= 0 ? firstUnseen : bars.length - 1,
  });
  if (built.latest.nRows === 0) {
    throw new InsufficientHistoryError(symbol, featureSet.lookback + 1, bars.length);
  }
  const calendar = calendarFor(
    symbol,
    bars.map((b) => b.date),
  );
  const t1 = performance.now();
  const r = model.predict(built.latest)[0] ?? 0;
  const halfWidths = conformal ? liveHalfWidths(conformal, model, built) : null;
  const lastClose = built.latestClose;
  if (onStage) {
    onStage('features', (t1 - t0) / 1000);
    onStage('model', (performance.now() - t1) / 1000);
  }
  return {
    ticker: symbol,
    asOf: built.latestDate,
    horizon,
    targetDate: tradingDayAfter(calendar, built.latestDate, horizon),
    lastClose,
    predictedClose: lastClose * Math.exp(r),
    predictedReturn: r,
    modelVersion: served.version,
    model: {
      name: served.name,
      version: served.version,
      kind: model.kind,
      runId: served.runId,
      featureSet: `${featureSet.id}@${featureSet.version}`,
      metrics: served.metrics,
      servedBecause: served.servedBecause,
      ...(conformal ? { intervalMethod: conformal.method ?? 'absolute' } : {}),
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

/**
 * The champion's forecast. A hit in the serving cache reads no store and computes nothing; a miss reads the
 * alias and the ticker (at once, and only when the cache's copies are due), then the bars, and runs the
 * feature pipeline and the model.
 */
export async function predictDetailed(
  deps: ServiceDeps,
  cache: ServingCache,
  input: { ticker: TickerSymbol; horizon: Horizon },
): Promise<DetailedPrediction> {
  const { ticker, horizon } = input;
  const onStage = deps.onStage;
  const t0 = performance.now();
  const hit = cache.peek(ticker, horizon);
  if (hit) {
    onStage?.('cache', (performance.now() - t0) / 1000);
    return hit;
  }
  const [summary, served] = await Promise.all([
    cache.summary(deps, ticker),
    cache.champion(deps, ticker, horizon),
  ]);
  onStage?.('cache', (performance.now() - t0) / 1000);
  const { prediction } = await cache.forecast(
    ticker,
    horizon,
    served,
    summary.lastDate,
    async () => {
      const t1 = performance.now();
      const from = servingFrom(ticker, summary.lastDate, served.featureSet, served.conformal);
      const bars = await cache.bars(deps, ticker, from);
      onStage?.('store', (performance.now() - t1) / 1000);
      return forecastFrom(ticker, horizon, served, summary.lastDate, bars, onStage);
    },
  );
  return prediction;
}

/**
 * Public views already made, by the forecast they show. A cache hit returns the same DetailedPrediction, so
 * it gets the same view back (and the route the same serialised text) instead of a copy per request; a
 * view goes when its forecast does. Neither is mutated once made.
 */
const publicViews = new WeakMap<DetailedPrediction, Prediction>();

/** A prediction as the contract shows it (without the pieces forecast paths are built from). */
export function publicPrediction(p: DetailedPrediction): Prediction {
  let view = publicViews.get(p);
  if (view === undefined) {
    const { halfWidths: _hw, calendar: _cal, ...rest } = p;
    view = rest;
    publicViews.set(p, view);
  }
  return view;
}

/** The served-forecast record of a prediction, as the forecast log and the event bus take it. */
export function servedForecast(
  p: Prediction,
  via: ServedVia,
  servedAt: number = Date.now(),
): ServedForecast {
  return {
    ticker: p.ticker,
    horizon: p.horizon,
    asOf: p.asOf,
    targetDate: p.targetDate,
    model: {
      name: p.model.name,
      version: p.model.version,
      kind: p.model.kind,
      runId: p.model.runId,
      featureSet: p.model.featureSet,
    },
    lastClose: p.lastClose,
    predictedReturn: p.predictedReturn,
    predictedClose: p.predictedClose,
    intervals: p.interval,
    servedAt,
    via,
  };
}

/** The champion's forecast for one horizon; the serve is reported to `deps.served` (the forecast log). */
export async function predict(
  deps: ServiceDeps,
  cache: ServingCache,
  input: { ticker: TickerSymbol; horizon: Horizon },
): Promise<Prediction> {
  const p = publicPrediction(await predictDetailed(deps, cache, input));
  deps.served?.served(servedForecast(p, 'predict'));
  return p;
}

/** Calibrators loaded once per stored state (a served version holds one), never changed once loaded. */
const calibrators = new WeakMap<ConformalState, AdaptiveConformal>();

function calibratorOf(state: ConformalState): AdaptiveConformal {
  let c = calibrators.get(state);
  if (c === undefined) {
    c = AdaptiveConformal.fromJSON(state);
    calibrators.set(state, c);
  }
  return c;
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
  const loaded = calibratorOf(state);
  const since = state.lastDate ?? '';
  const ds = built.labeled;
  const first = ds.dates.findIndex((d) => d > since);
  // Nothing to replay: the loaded calibrator is only read. Otherwise a copy takes the outcomes.
  const aci = first >= 0 ? loaded.copy() : loaded;
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
      sigma: ds.volatility?.[first + i] ?? Number.NaN,
    }));
    conformalWalk(aci, rows, ds.horizon);
  }
  // Scaled scores: the live interval follows the volatility forecast of the live row.
  const hw = aci.halfWidths(built.latest.volatility?.[0] ?? Number.NaN);
  return hw ? aci.levels.map((level, k) => ({ level, halfWidth: hw[k] ?? 0 })) : null;
}
