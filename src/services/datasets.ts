// What the Datasets and Overview pages read about tickers: market, range, last close, and the last ETL run that touched each.
import {
  isStockopsError,
  marketOf,
  type EtlRunRecord,
  type TickerSummary,
  type TickerSymbol,
} from '../core/index.js';
import type { TickerDetail } from '../api/index.js';
import type { ServiceDeps } from './deps.js';
import { requireTicker } from './predict.js';

/** ETL runs searched for a ticker's last one; older runs are not worth a page's wait. */
const ETL_RUNS_SEARCHED = 200;

/** The close of the last bar of the cleaned series (one bar read). */
export async function lastCloseOf(
  deps: Pick<ServiceDeps, 'prices'>,
  t: TickerSummary,
): Promise<number | null> {
  const bars = await deps.prices.getBars(t.symbol, { from: t.lastDate });
  return bars.at(-1)?.close ?? null;
}

function lastEtlOf(runs: readonly EtlRunRecord[], symbol: string): TickerDetail['lastEtl'] {
  const run = runs.find((r) => r.tickers.includes(symbol));
  if (!run) {
    return null;
  }
  const result = run.results.find((r) => r.symbol === symbol);
  return {
    runId: run.id,
    runStatus: run.status,
    status: result?.status ?? (run.status === 'failed' ? 'failed' : 'ok'),
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    fetched: result?.fetched ?? 0,
    inserted: result?.inserted ?? 0,
    updated: result?.updated ?? 0,
    quarantined: result?.quarantined ?? 0,
    ...(result?.error ? { error: result.error } : {}),
    quality: run.quality
      .filter((q) => q.symbol === symbol)
      .map(({ check, status, count, examples }) => ({ check, status, count, examples })),
  };
}

/** One ticker's data set: market, range, last close, quarantined rows and its last ETL run. */
export async function tickerDetail(
  deps: Pick<ServiceDeps, 'prices' | 'etlRuns'>,
  symbol: TickerSymbol,
): Promise<TickerDetail> {
  const summary = await requireTicker(deps, symbol);
  const [lastClose, quarantine, runs] = await Promise.all([
    lastCloseOf(deps, summary),
    deps.prices.listQuarantine(symbol),
    deps.etlRuns ? deps.etlRuns.list(ETL_RUNS_SEARCHED) : Promise.resolve([]),
  ]);
  return {
    ...summary,
    ...marketOf(symbol),
    lastClose,
    quarantined: quarantine.length,
    lastEtl: lastEtlOf(runs, symbol),
  };
}

/** A failure as the overview reports it beside a ticker, instead of failing the whole page. */
export const errorSummary = (e: unknown): { code: string; message: string } => ({
  code: isStockopsError(e) ? e.code : 'INTERNAL',
  message: e instanceof Error ? e.message : String(e),
});
