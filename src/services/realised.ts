// Realised accuracy: served forecasts from the forecast log joined to the close of their target date once its
// bar is loaded, per model version over its newest matured forecasts, beside naive on the same dates; stored as
// a time series by the monitor flow, read by the API, the alert rules, the retrain policy and the gauges.
import {
  InvalidInputError,
  isHorizon,
  realisedAccuracy,
  type MaturedForecast,
  type ForecastLogRow,
  type RealisedPoint,
  type RealisedQuery,
} from '../core/index.js';
import { DEFAULT_MONITORING_SETTINGS } from '../core/index.js';
import type { ServiceDeps } from './deps.js';
import { monitorStoresOf, type ServedModel } from './monitor.js';
import { actualOf } from './predictions.js';

/** Rows read from the forecast log per page while collecting a window. */
const PAGE = 1000;

const now = (deps: Pick<ServiceDeps, 'now'>) => (deps.now ? deps.now() : new Date()).getTime();

/**
 * Recomputes realised accuracy of one served model: for its champion version and every other version with
 * forecasts in the log's recent rows, the newest `realisedWindow` matured forecasts. Saves a point per version
 * that has any, and returns the champion's (null before one of its forecasts matured).
 */
export async function updateRealised(
  deps: ServiceDeps,
  model: ServedModel,
  options: { monitorRunId?: string | null } = {},
): Promise<RealisedPoint | null> {
  const stores = monitorStoresOf(deps);
  const log = deps.forecastLog;
  const summary = await deps.prices.getTicker(model.ticker);
  if (!log || !summary?.lastDate) {
    return null;
  }
  const lastDate = summary.lastDate;
  const window = (deps.monitoring ?? DEFAULT_MONITORING_SETTINGS).realisedWindow;
  // Newest asOf first; a forecast matures once its target date's bar is stored.
  const byVersion = new Map<number, ForecastLogRow[]>();
  let after: ForecastLogRow | undefined;
  for (;;) {
    const rows = await log.list({
      ticker: model.ticker,
      horizon: model.horizon,
      model: model.name,
      to: lastDate,
      limit: PAGE,
      ...(after ? { after: { asOf: after.asOf, id: after.id } } : {}),
    });
    for (const r of rows) {
      if (r.targetDate <= lastDate) {
        const list = byVersion.get(r.model.version) ?? [];
        list.push(r);
        byVersion.set(r.model.version, list);
      }
    }
    after = rows.at(-1);
    const champion = byVersion.get(model.champion.version)?.length ?? 0;
    if (rows.length < PAGE || champion >= window) {
      break;
    }
  }
  let championPoint: RealisedPoint | null = null;
  const at = now(deps);
  for (const [version, rows] of byVersion) {
    const newest = rows.slice(0, window);
    const oldest = newest.reduce((a, r) => (r.asOf < a ? r.asOf : a), lastDate);
    const bars = await deps.prices.getBars(model.ticker, { from: oldest, to: lastDate });
    const adj = new Map(bars.map((b) => [b.date, b.adjClose]));
    const matured: MaturedForecast[] = [];
    for (const r of newest) {
      const a = actualOf(r, adj);
      if (a) {
        matured.push({
          asOf: r.asOf,
          targetDate: r.targetDate,
          predictedReturn: r.predictedReturn,
          actualReturn: a.return,
          intervals: a.intervals,
        });
      }
    }
    const acc = realisedAccuracy(matured, window);
    if (!acc) {
      continue;
    }
    const point: RealisedPoint = {
      ...acc,
      ticker: model.ticker,
      horizon: model.horizon,
      model: model.name,
      version,
      computedAt: at,
      monitorRunId: options.monitorRunId ?? null,
    };
    await stores.realised.save(point);
    if (version === model.champion.version) {
      championPoint = point;
    }
  }
  return championPoint;
}

/** The latest point of one model version; null before any of its forecasts matured. */
export async function latestRealised(
  deps: Pick<ServiceDeps, 'monitorStores'>,
  model: string,
  version: number,
): Promise<RealisedPoint | null> {
  return (await monitorStoresOf(deps).realised.list({ model, version, limit: 1 }))[0] ?? null;
}

export function listRealised(
  deps: Pick<ServiceDeps, 'monitorStores'>,
  query: RealisedQuery,
): Promise<RealisedPoint[]> {
  if (query.horizon !== undefined && !isHorizon(query.horizon)) {
    return Promise.resolve([]);
  }
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw new InvalidInputError('from', `must not be after to (${query.to}), found ${query.from}`);
  }
  return monitorStoresOf(deps).realised.list(query);
}
