// Forecast paths: the close for each of the next N trading days with intervals, from the champions of horizons 1, 5 and 20.
import {
  HORIZONS,
  InvalidInputError,
  isStockopsError,
  ModelNotFoundError,
  tradingDayAfter,
  type Bar,
  type Horizon,
  type TickerSymbol,
} from '../core/index.js';
import { MAX_FORECAST_DAYS, type Forecast, type ForecastPoint } from '../api/index.js';
import type { ServiceDeps } from './deps.js';
import { forecastFrom, servedForecast, servingFrom, type DetailedPrediction } from './predict.js';
import type { ServedVersion, ServingCache } from './serving-cache.js';

interface Anchor {
  h: number;
  r: number;
  /** Half-width per level, or null when the model has no calibrated interval. */
  hw: Map<number, number> | null;
}

/**
 * Between two horizons with models, the cumulative log return is interpolated linearly and each
 * interval's half-width linearly in its square (variance grows about linearly with time for returns);
 * past the longest horizon, the drift is extended linearly and half-widths grow with sqrt(days).
 * Day 0 is the last close with zero width.
 */
export async function forecast(
  deps: ServiceDeps,
  cache: ServingCache,
  input: { ticker: TickerSymbol; days: number },
): Promise<Forecast> {
  const symbol = input.ticker;
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_FORECAST_DAYS) {
    throw new InvalidInputError('days', `must be an integer from 1 to ${MAX_FORECAST_DAYS}`);
  }
  const champion = async (h: Horizon): Promise<[Horizon, ServedVersion] | null> => {
    try {
      return [h, await cache.champion(deps, symbol, h)];
    } catch (e) {
      // A missing champion for one horizon only narrows the anchors; anything else is an error.
      if (isStockopsError(e) && e.code === 'MODEL_NOT_FOUND') {
        return null;
      }
      throw e;
    }
  };
  const [summary, ...resolved] = await Promise.all([
    cache.summary(deps, symbol),
    ...HORIZONS.map(champion),
  ]);
  const served = resolved.filter((x): x is [Horizon, ServedVersion] => x !== null);
  if (served.length === 0) {
    throw new ModelNotFoundError(
      `no champion for ${symbol} at any horizon; train one with POST /api/train {"ticker":"${symbol}"}`,
    );
  }
  // One read of the bars for every horizon the cache does not hold: from the earliest date any of them needs.
  const froms = served.map(([, v]) =>
    servingFrom(symbol, summary.lastDate, v.featureSet, v.conformal),
  );
  const from = froms.includes(undefined)
    ? undefined
    : froms.reduce((a, b) => ((b ?? '') < (a ?? '') ? b : a));
  let read: Promise<Bar[]> | null = null;
  const bars = () => (read ??= cache.bars(deps, symbol, from));
  const found: DetailedPrediction[] = await Promise.all(
    served.map(async ([h, v]) => {
      const { prediction } = await cache.forecast(symbol, h, v, summary.lastDate, async () =>
        forecastFrom(symbol, h, v, summary.lastDate, await bars()),
      );
      return prediction;
    }),
  );
  const servedAt = Date.now();
  for (const p of found) {
    deps.served?.served(servedForecast(p, 'forecast', servedAt));
  }
  const base = found[0];
  if (!base) {
    throw new ModelNotFoundError(`no champion for ${symbol} at any horizon`);
  }
  const levels = [...new Set(found.flatMap((p) => (p.halfWidths ?? []).map((w) => w.level)))];
  const anchors: Anchor[] = [
    { h: 0, r: 0, hw: new Map(levels.map((l) => [l, 0])) },
    ...found.map((p) => ({
      h: p.horizon,
      r: p.predictedReturn,
      hw: p.halfWidths ? new Map(p.halfWidths.map((w) => [w.level, w.halfWidth])) : null,
    })),
  ];
  const path: ForecastPoint[] = [];
  for (let day = 1; day <= input.days; day++) {
    const { r, hw, exact } = interpolate(anchors, day, levels);
    path.push({
      day,
      date: tradingDayAfter(base.calendar, base.asOf, day),
      predictedReturn: r,
      predictedClose: base.lastClose * Math.exp(r),
      interval: hw.map(({ level, halfWidth }) => ({
        level,
        lower: base.lastClose * Math.exp(r - halfWidth),
        upper: base.lastClose * Math.exp(r + halfWidth),
      })),
      source: exact ? 'model' : 'interpolated',
    });
  }
  return {
    ticker: symbol,
    asOf: base.asOf,
    lastClose: base.lastClose,
    days: input.days,
    models: found.map((p) => ({
      horizon: p.horizon,
      name: p.model.name,
      version: p.model.version,
      kind: p.model.kind,
      runId: p.model.runId,
    })),
    path,
  };
}

function interpolate(
  anchors: readonly Anchor[],
  day: number,
  levels: readonly number[],
): { r: number; hw: { level: number; halfWidth: number }[]; exact: boolean } {
  const exact = anchors.find((a) => a.h === day);
  if (exact) {
    return { r: exact.r, hw: widths(exact.hw, levels, () => 1), exact: true };
  }
  const below = [...anchors].reverse().find((a) => a.h < day) ?? anchors[0];
  const above = anchors.find((a) => a.h > day);
  if (!below) {
    return { r: 0, hw: [], exact: false };
  }
  if (!above) {
    // Past the longest horizon: linear drift, sqrt-time widths.
    const t = day / below.h;
    return { r: below.r * t, hw: widths(below.hw, levels, () => Math.sqrt(t)), exact: false };
  }
  const t = (day - below.h) / (above.h - below.h);
  const r = below.r + (above.r - below.r) * t;
  if (!below.hw || !above.hw) {
    return { r, hw: [], exact: false };
  }
  const lo = below.hw;
  const hi = above.hw;
  const hw = levels.flatMap((level) => {
    const a = lo.get(level);
    const b = hi.get(level);
    return a === undefined || b === undefined
      ? []
      : [{ level, halfWidth: Math.sqrt(a * a + (b * b - a * a) * t) }];
  });
  return { r, hw, exact: false };
}

function widths(
  hw: Map<number, number> | null,
  levels: readonly number[],
  scale: () => number,
): { level: number; halfWidth: number }[] {
  if (!hw) {
    return [];
  }
  return levels.flatMap((level) => {
    const w = hw.get(level);
    return w === undefined ? [] : [{ level, halfWidth: w * scale() }];
  });
}
