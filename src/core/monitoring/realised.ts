// Realised accuracy of served forecasts: each matured forecast (its target date's bar loaded) against what
// happened, beside naive on the same dates. Naive predicts a zero log return, so its error is the return itself.

/** One served forecast joined to its outcome. */
export interface MaturedForecast {
  asOf: string;
  targetDate: string;
  predictedReturn: number;
  /** Realised log return of the adjusted close from asOf to the target date. */
  actualReturn: number;
  /** Whether the realised close fell inside each interval; empty while the model was uncalibrated. */
  intervals: readonly { level: number; held: boolean }[];
}

/** Realised accuracy over a window of matured forecasts. */
export interface RealisedAccuracy {
  matured: number;
  /** Target dates of the oldest and newest forecast in the window. */
  from: string;
  to: string;
  /** RMSE of predicted against realised log returns. */
  rmse: number;
  /** RMSE of naive (a zero return) on the same dates. */
  rmseNaive: number;
  /** 1 - rmse / rmseNaive: above 0 beats naive, below 0 loses to it. */
  skill: number;
  /** Share of forecasts whose sign (up: > 0) matched the realised return's. */
  directionAccuracy: number;
  /** Share of realised returns above 0: what always saying "up" scores, beside directionAccuracy. */
  upRate: number;
  /** Realised coverage per nominal level in percent ("80", "95"), over the forecasts that had that interval. */
  coverage: Record<string, number>;
}

/** The level's key: 0.8 -> "80", 0.95 -> "95". */
export const coverageKey = (level: number): string => String(Math.round(level * 1000) / 10);

/**
 * Accuracy of the newest `window` matured forecasts (by target date, then asOf); null when none has matured.
 * Naive at zero error everywhere (no movement at all) gives skill 0 when the model is exact too, else -1.
 */
export function realisedAccuracy(
  rows: readonly MaturedForecast[],
  window = Number.POSITIVE_INFINITY,
): RealisedAccuracy | null {
  const sorted = [...rows]
    .filter((r) => Number.isFinite(r.predictedReturn) && Number.isFinite(r.actualReturn))
    .sort((a, b) =>
      a.targetDate === b.targetDate
        ? a.asOf.localeCompare(b.asOf)
        : a.targetDate.localeCompare(b.targetDate),
    );
  const w = sorted.slice(Math.max(0, sorted.length - window));
  const first = w[0];
  const last = w[w.length - 1];
  if (!first || !last) {
    return null;
  }
  let se = 0;
  let seNaive = 0;
  let hits = 0;
  let ups = 0;
  const held = new Map<string, { n: number; in: number }>();
  for (const r of w) {
    const e = r.predictedReturn - r.actualReturn;
    se += e * e;
    seNaive += r.actualReturn * r.actualReturn;
    const up = r.actualReturn > 0;
    ups += up ? 1 : 0;
    hits += r.predictedReturn > 0 === up ? 1 : 0;
    for (const i of r.intervals) {
      const k = coverageKey(i.level);
      const c = held.get(k) ?? { n: 0, in: 0 };
      c.n++;
      c.in += i.held ? 1 : 0;
      held.set(k, c);
    }
  }
  const n = w.length;
  const rmse = Math.sqrt(se / n);
  const rmseNaive = Math.sqrt(seNaive / n);
  const skill = rmseNaive > 0 ? 1 - rmse / rmseNaive : rmse === 0 ? 0 : -1;
  const coverage: Record<string, number> = {};
  for (const [k, c] of [...held].sort(([a], [b]) => Number(a) - Number(b))) {
    coverage[k] = c.in / c.n;
  }
  return {
    matured: n,
    from: first.targetDate,
    to: last.targetDate,
    rmse,
    rmseNaive,
    skill,
    directionAccuracy: hits / n,
    upRate: ups / n,
    coverage,
  };
}
