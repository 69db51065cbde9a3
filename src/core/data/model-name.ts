// Registered model names: one model per ticker and horizon, `${symbol}.h${horizon}` (e.g. `^GSPC.h1`).
import { isHorizon, type Horizon } from './horizon.js';
import { SYMBOL_PATTERN, type TickerSymbol } from './symbol.js';

/** Registered model (and experiment) name for a ticker and horizon, e.g. `^GSPC.h1`. */
export const modelName = (symbol: string, horizon: number): string => `${symbol}.h${horizon}`;

/**
 * The ticker and horizon a registered name stands for; null for a name stockops did not make (a model
 * registered by hand in MLflow, say). A symbol may itself hold dots (`2330.TW.h5`), so the horizon is
 * read from the last `.h<digits>`.
 */
export function parseModelName(name: string): { symbol: TickerSymbol; horizon: Horizon } | null {
  const m = /^(.+)\.h(\d{1,3})$/.exec(name);
  if (!m?.[1] || !m[2]) {
    return null;
  }
  const horizon = Number(m[2]);
  if (!SYMBOL_PATTERN.test(m[1]) || !isHorizon(horizon)) {
    return null;
  }
  return { symbol: m[1] as TickerSymbol, horizon };
}
