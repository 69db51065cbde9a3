// Which ticker a page shows: the one asked for when the server has it, else one with a champion to forecast with.
import { parseModelName } from '@stockops/api';
import { useQuery } from '@tanstack/react-query';
import { queries } from '../lib';

export interface TickerChoice {
  /** The ticker to show; undefined while the lists load or when the server has none. */
  symbol: string | undefined;
  /** A ticker was asked for and the server does not have it. */
  unknown: boolean;
}

/**
 * Without a ticker asked for, a page opens on one that has a champion (the longest such history),
 * rather than on whichever sorts first; the ticker list alone decides once models failed to load.
 */
export function useTickerChoice(requested: string | undefined): TickerChoice {
  const tickers = useQuery(queries.tickers());
  const models = useQuery(queries.models());
  const list = tickers.data;
  if (!list) {
    return { symbol: undefined, unknown: false };
  }
  if (requested !== undefined && list.some((t) => t.symbol === requested)) {
    return { symbol: requested, unknown: false };
  }
  if (models.isPending) {
    return { symbol: undefined, unknown: false };
  }
  const served = new Set<string>();
  for (const m of models.data ?? []) {
    const parsed = parseModelName(m.name);
    if (parsed && m.aliases.champion !== undefined) {
      served.add(parsed.symbol);
    }
  }
  const best = [...list].filter((t) => served.has(t.symbol)).sort((a, b) => b.rows - a.rows)[0];
  return { symbol: best?.symbol ?? list[0]?.symbol, unknown: requested !== undefined };
}
