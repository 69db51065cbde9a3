// Forecast metrics on log returns, always reported beside the naive zero-return forecast.
import { dieboldMariano } from './stats.js';

export interface ForecastMetrics {
  /** Out-of-sample rows scored. */
  n: number;
  rmse: number;
  mae: number;
  rmseNaive: number;
  maeNaive: number;
  /** 1 - rmse / rmseNaive: positive means better than "tomorrow = today". */
  skill: number;
  /** Share of rows whose predicted sign (>= 0 counts as up) matches the realised one. */
  directionAccuracy: number;
  /** Share of rows that went up: the accuracy of always saying "up". */
  upRate: number;
  /** Mean absolute percentage error of the implied price. */
  mape: number;
  /** Diebold-Mariano p-value against naive (squared error). */
  dmPValue: number;
}

export function forecastMetrics(
  actual: Float64Array,
  predicted: Float64Array,
  horizon: number,
): ForecastMetrics {
  const n = actual.length;
  let se = 0;
  let ae = 0;
  let seN = 0;
  let aeN = 0;
  let hits = 0;
  let ups = 0;
  let ape = 0;
  for (let i = 0; i < n; i++) {
    const y = actual[i] ?? 0;
    const p = predicted[i] ?? 0;
    se += (p - y) * (p - y);
    ae += Math.abs(p - y);
    seN += y * y;
    aeN += Math.abs(y);
    if (p >= 0 === y > 0) {
      hits++;
    }
    if (y > 0) {
      ups++;
    }
    // Price ratio: close_t * exp(p) against close_t * exp(y); close_t cancels.
    ape += Math.abs(Math.exp(p) - Math.exp(y)) / Math.exp(y);
  }
  const rmse = Math.sqrt(se / n);
  const rmseNaive = Math.sqrt(seN / n);
  return {
    n,
    rmse,
    mae: ae / n,
    rmseNaive,
    maeNaive: aeN / n,
    skill: rmseNaive > 0 ? 1 - rmse / rmseNaive : 0,
    directionAccuracy: hits / n,
    upRate: ups / n,
    mape: ape / n,
    dmPValue: dieboldMariano(actual, predicted, new Float64Array(n), horizon),
  };
}
