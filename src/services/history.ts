// Price history of one ticker: the cleaned series in a date range, for charts and the API.
import {
  InvalidInputError,
  isValidIsoDate,
  UnknownTickerError,
  type TickerSymbol,
} from '../core/index.js';
import type { History } from '../api/index.js';
import type { ServiceDeps } from './deps.js';

/** Bars of `symbol` between `from` and `to` (inclusive, both optional), oldest first. */
export async function getHistory(
  deps: Pick<ServiceDeps, 'prices'>,
  symbol: TickerSymbol,
  range: { from?: string | undefined; to?: string | undefined },
): Promise<History> {
  const { from, to } = range;
  for (const [field, v] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (v !== undefined && !isValidIsoDate(v)) {
      throw new InvalidInputError(field, `"${v}" is not a calendar date`);
    }
  }
  if (from !== undefined && to !== undefined && from > to) {
    throw new InvalidInputError('from', `from ${from} is after to ${to}`);
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
