// Price history of one ticker: the cleaned series in a date range, for charts and the API.
import {
  dateProblem,
  InvalidInputError,
  UnknownTickerError,
  type TickerSymbol,
} from '../core/index.js';
import type { History } from '../api/index.js';
import { today, type ServiceDeps } from './deps.js';

/** Bars of `symbol` between `from` and `to` (inclusive, both optional), oldest first; none when from is after to. */
export async function getHistory(
  deps: Pick<ServiceDeps, 'prices' | 'now'>,
  symbol: TickerSymbol,
  range: { from?: string | undefined; to?: string | undefined },
): Promise<History> {
  const { from, to } = range;
  for (const [field, v] of [
    ['from', from],
    ['to', to],
  ] as const) {
    const problem = v === undefined ? null : dateProblem(v, today(deps));
    if (problem !== null) {
      throw new InvalidInputError(field, problem);
    }
  }
  if (!(await deps.prices.getTicker(symbol))) {
    throw new UnknownTickerError(symbol);
  }
  const bars = await deps.prices.getBars(symbol, {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  });
  return { symbol, bars };
}
