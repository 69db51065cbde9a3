// Re-derives one ticker's cleaned series from its raw bars and corporate actions, and writes what changed.
import {
  adjustUnadjustedSplits,
  cleanSeries,
  type Bar,
  type InferredSplit,
} from '../core/index.js';
import type { ServiceDeps } from './deps.js';

export interface CleanResult {
  bars: Bar[];
  /** Rows of the cleaned series that were new or changed. */
  written: number;
  /** Splits the raw rows were not adjusted for, found and applied (a CSV with unadjusted closes). */
  splits: InferredSplit[];
}

/**
 * The whole series is derived again each time: a split or dividend learnt today changes every earlier adjusted
 * close, and deriving from scratch is what keeps the cleaned series reproducible from raw + actions.
 */
export async function refreshClean(
  deps: Pick<ServiceDeps, 'prices'>,
  symbol: string,
): Promise<CleanResult> {
  const [raw, actions] = await Promise.all([
    deps.prices.getRawBars(symbol),
    deps.prices.getActions(symbol),
  ]);
  // Known actions first; what is left is a split the source's closes ignore while its adjusted close does not.
  const { bars, splits } = adjustUnadjustedSplits(cleanSeries(raw, actions));
  const written = await deps.prices.writeClean(symbol, bars);
  return { bars, written, splits };
}
