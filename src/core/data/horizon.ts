// Forecast horizons in trading days: one model per (ticker, horizon). The set is declared here and nowhere else.

/** Horizons with their own models; a forecast path interpolates between them. */
export const HORIZONS = [1, 5, 20] as const;
export type Horizon = (typeof HORIZONS)[number];

export function isHorizon(n: unknown): n is Horizon {
  return typeof n === 'number' && (HORIZONS as readonly number[]).includes(n);
}
