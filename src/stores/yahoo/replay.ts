// A chart() that answers from recorded responses on disk (one <SYMBOL>.json per ticker): tests and offline demos.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SourceError } from '../../core/index.js';
import type { ChartFn } from './chart.js';

const DATE_KEYS = new Set(['date', 'firstTradeDate', 'regularMarketTime', 'start', 'end']);

/** JSON turns yahoo-finance2's Date fields into ISO strings; this turns them back, so replies match chart()'s. */
export function reviveChartJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) =>
    DATE_KEYS.has(key) && typeof value === 'string' && !Number.isNaN(Date.parse(value))
      ? new Date(value)
      : value,
  );
}

/**
 * Bars and events before `period1` are dropped, as Yahoo does, so incremental fetches behave as they would live.
 * An unknown symbol fails as it does on Yahoo: a `not_found` SourceError with Yahoo's words.
 */
export function replayChart(dir: string): ChartFn {
  const root = resolve(dir);
  return async (symbol, options) => {
    let text: string;
    try {
      text = await readFile(join(root, `${symbol}.json`), 'utf8');
    } catch {
      throw new SourceError(
        'not_found',
        symbol,
        `No data found, symbol may be delisted (no recorded ${symbol}.json)`,
      );
    }
    const result = reviveChartJson(text) as {
      quotes?: { date: Date }[];
      events?: { dividends?: { date: Date }[]; splits?: { date: Date }[] };
    };
    const keep = <T extends { date: Date }>(xs: T[] | undefined) =>
      xs?.filter((x) => x.date >= options.period1);
    return {
      ...result,
      quotes: keep(result.quotes),
      ...(result.events
        ? {
            events: {
              dividends: keep(result.events.dividends),
              splits: keep(result.events.splits),
            },
          }
        : {}),
    };
  };
}
