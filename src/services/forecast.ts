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

type HalfWidths = { level: number; halfWidth: number }[];

/**
 * The close for each of the next N trading days from the champions of h = 1, 5 and 20, read at once.
 * A day with a champion of its own is that champion's forecast (`model`). Between two horizons with
 * champions (day 0 being the last close, with zero width) the cumulative log return is interpolated
 * linearly in days and each half-width linearly in sqrt(days), as a random walk's width grows
 * (`interpolated`). Past the longest horizon with a champion no trend is invented: the path is the
 * naive one, the last close, with the half-widths of that horizon's naive version (its own calibration)
 * scaled by sqrt(day / horizon) (`naive`). The horizons without a champion are named in `missingHorizons`.
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
  const longest = served.at(-1);
  if (!longest) {
    throw new ModelNotFoundError(
      `no champion for ${symbol} at any horizon; train one with POST /api/train {"ticker":"${symbol}"}`,
    );
  }
  const [longestH, longestVersion] = longest;
  // Days past the longest horizon follow naive: its own calibrated widths, from its naive version.
  const naive =
    input.days > longestH && longestVersion.model.kind !== 'naive'
      ? await cache.naive(deps, symbol, longestH)
      : null;
  const versions: [Horizon, ServedVersion][] = naive ? [...served, [longestH, naive]] : served;
  // One read of the bars for every version the cache does not hold: from the earliest date any of them needs.
  const froms = versions.map(([, v]) =>
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
  const atLongest = found.at(-1);
  if (!base || !atLongest) {
    throw new ModelNotFoundError(`no champion for ${symbol} at any horizon`);
  }
  const naiveAtLongest = naive
    ? (
        await cache.forecast(symbol, longestH, naive, summary.lastDate, async () =>
          forecastFrom(symbol, longestH, naive, summary.lastDate, await bars()),
        )
      ).prediction
    : atLongest;
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
    const point: { r: number; hw: HalfWidths; source: ForecastPoint['source'] } =
      day > longestH
        ? {
            r: 0,
            hw: (naiveAtLongest.halfWidths ?? []).map(({ level, halfWidth }) => ({
              level,
              halfWidth: halfWidth * Math.sqrt(day / longestH),
            })),
            source: 'naive',
          }
        : between(anchors, day, levels);
    path.push({
      day,
      date: tradingDayAfter(base.calendar, base.asOf, day),
      predictedReturn: point.r,
      predictedClose: base.lastClose * Math.exp(point.r),
      interval: point.hw.map(({ level, halfWidth }) => ({
        level,
        lower: base.lastClose * Math.exp(point.r - halfWidth),
        upper: base.lastClose * Math.exp(point.r + halfWidth),
      })),
      source: point.source,
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
      metrics: p.model.metrics,
      servedBecause: p.model.servedBecause,
    })),
    missingHorizons: HORIZONS.filter((h) => !served.some(([s]) => s === h)),
    path,
  };
}

/** A day at or between two anchors (never past the last one). */
function between(
  anchors: readonly Anchor[],
  day: number,
  levels: readonly number[],
): { r: number; hw: HalfWidths; source: 'model' | 'interpolated' } {
  const exact = anchors.find((a) => a.h === day);
  if (exact) {
    return { r: exact.r, hw: widths(exact.hw, levels), source: 'model' };
  }
  const below = [...anchors].reverse().find((a) => a.h < day) ?? anchors[0];
  const above = anchors.find((a) => a.h > day);
  if (!below || !above) {
    return { r: 0, hw: [], source: 'interpolated' };
  }
  const t = (day - below.h) / (above.h - below.h);
  const r = below.r + (above.r - below.r) * t;
  if (!below.hw || !above.hw) {
    return { r, hw: [], source: 'interpolated' };
  }
  const lo = below.hw;
  const hi = above.hw;
  // Widths of a random walk grow with sqrt(time): interpolate in sqrt(days) between the anchors.
  const u = (Math.sqrt(day) - Math.sqrt(below.h)) / (Math.sqrt(above.h) - Math.sqrt(below.h));
  const hw = levels.flatMap((level) => {
    const a = lo.get(level);
    const b = hi.get(level);
    return a === undefined || b === undefined ? [] : [{ level, halfWidth: a + (b - a) * u }];
  });
  return { r, hw, source: 'interpolated' };
}

function widths(hw: Map<number, number> | null, levels: readonly number[]): HalfWidths {
  if (!hw) {
    return [];
  }
  return levels.flatMap((level) => {
    const w = hw.get(level);
    return w === undefined ? [] : [{ level, halfWidth: w }];
  });
}
