// The ETL flow: extract -> validate -> load raw -> clean -> quality -> snapshot, each step reported with counts.
import { randomUUID } from 'node:crypto';
import {
  addDays,
  calendarFor,
  isStockopsError,
  normalizeSymbol,
  qualityChecks,
  reconcileRows,
  SourceError,
  validateBar,
  type Bar,
  type CsvRow,
  type DatasetStore,
  type EtlRunLog,
  type EtlRunRecord,
  type EtlStepName,
  type EtlStepReport,
  type EtlTickerResult,
  type PriceSource,
  type QualityCheck,
  type QuarantinedRow,
  type SourceFetch,
  type TickerSymbol,
} from '../core/index.js';
import { announceDataLoaded } from './announce.js';
import { today, type ServiceDeps } from './deps.js';
import { refreshClean } from './etl-clean.js';

/** The tickers stockops follows unless told otherwise. */
export const DEFAULT_TICKERS: readonly TickerSymbol[] = ['AAPL', 'TSM', '2330.TW', '^GSPC'].map(
  (t) => normalizeSymbol(t),
);

export interface EtlDeps extends ServiceDeps {
  source: PriceSource;
  etlRuns: EtlRunLog;
  datasets: DatasetStore;
}

export interface EtlInput {
  /** @defaultValue DEFAULT_TICKERS */
  tickers?: readonly TickerSymbol[];
  /** Fetch the full history even for tickers already stored. @defaultValue false */
  full?: boolean;
  /** Write a Parquet snapshot of each cleaned series. @defaultValue true */
  snapshot?: boolean;
  /** Who started the run (api, cli, schedule). @defaultValue 'api' */
  trigger?: string;
  /** The `etl` flow run running it, recorded so a client can find this run from the flow run. */
  flowRunId?: string;
}

export interface EtlOptions {
  /** Tickers fetched at once: Yahoo throttles bursts, and the pipeline's later steps are local. @defaultValue 4 */
  concurrency?: number;
  /**
   * Days re-fetched before the last stored bar: picks up late corrections of recent bars, and the overlap rows
   * prove the upsert idempotent (they come back unchanged). @defaultValue 7
   */
  overlapDays?: number;
  onProgress?: (event: { step: EtlStepName; symbol: string; message: string }) => void;
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the input order in the output. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

interface Work {
  result: EtlTickerResult;
  fetch?: SourceFetch;
  valid?: Bar[];
  quarantine?: QuarantinedRow[];
  clean?: Bar[];
}

const errorOf = (step: EtlStepName, e: unknown): NonNullable<EtlTickerResult['error']> => ({
  step,
  code: isStockopsError(e) ? e.code : 'ETL_ERROR',
  message: e instanceof Error ? e.message : String(e),
  ...(e instanceof SourceError ? { kind: e.kind } : {}),
});

/** The calendar date at `now` in an IANA time zone (the UTC date when the zone is unknown). */
export function exchangeDate(now: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** Turns a fetched response into bars to load and rows to quarantine, with a line number per source bar. */
export function validateFetch(
  fetch: SourceFetch,
  todayDate: string,
): { bars: Bar[]; quarantined: QuarantinedRow[] } {
  const rows: CsvRow[] = [];
  const quarantined: QuarantinedRow[] = [];
  fetch.bars.forEach((b, i) => {
    const line = i + 1;
    const v = validateBar(b, todayDate);
    if (typeof v === 'string') {
      quarantined.push({ line, reason: v, raw: b.raw });
    } else {
      rows.push({ line, bar: v });
    }
  });
  rows.sort((a, b) =>
    a.bar.date < b.bar.date ? -1 : a.bar.date > b.bar.date ? 1 : a.line - b.line,
  );
  // Same-date bars in one response: exact repeats collapse; differing ones are quarantined, never guessed between.
  const rec = reconcileRows(rows, new Map(), (line) => fetch.bars[line - 1]?.raw ?? '');
  return {
    bars: rec.toInsert,
    quarantined: [...quarantined, ...rec.quarantined].sort((a, b) => a.line - b.line),
  };
}

export async function runEtl(
  deps: EtlDeps,
  input: EtlInput = {},
  options: EtlOptions = {},
): Promise<EtlRunRecord> {
  const tickers = [...new Set(input.tickers ?? DEFAULT_TICKERS)];
  const id = randomUUID();
  const startedAt = Date.now();
  const trigger = input.trigger ?? 'api';
  const flowRunId = input.flowRunId ?? null;
  await deps.etlRuns.start({ id, trigger, tickers, startedAt, flowRunId });
  const progress = (step: EtlStepName, symbol: string, message: string) => {
    options.onProgress?.({ step, symbol, message });
  };
  const work: Work[] = tickers.map((symbol) => ({
    result: {
      symbol,
      status: 'ok',
      fetched: 0,
      quarantined: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      actions: 0,
      cleanRows: 0,
      from: null,
      to: null,
    },
  }));
  const steps: EtlStepReport[] = [];
  const quality: QualityCheck[] = [];
  const todayDate = today(deps);
  const now = deps.now ? deps.now() : new Date();

  /** Runs one step over the tickers still in the run; a ticker that throws leaves the run, the others go on. */
  const step = async (
    name: EtlStepName,
    fn: (w: Work) => Promise<Record<string, number>>,
    concurrency = 1,
  ): Promise<void> => {
    const t0 = performance.now();
    const live = work.filter((w) => w.result.status === 'ok');
    const counts: Record<string, number> = { tickers: live.length, failed: 0 };
    const perTicker = await mapLimit(live, concurrency, async (w) => {
      try {
        return await fn(w);
      } catch (e) {
        w.result.status = 'failed';
        w.result.error = errorOf(name, e);
        counts.failed = (counts.failed ?? 0) + 1;
        progress(name, w.result.symbol, `failed: ${w.result.error.message}`);
        return {};
      }
    });
    for (const c of perTicker) {
      for (const [k, v] of Object.entries(c)) {
        counts[k] = (counts[k] ?? 0) + v;
      }
    }
    steps.push({ step: name, ms: Math.round(performance.now() - t0), counts });
    await deps.etlRuns.progress(id, { steps, results: work.map((w) => w.result) });
  };

  try {
    await step(
      'extract',
      async (w) => {
        const stored = input.full ? null : await deps.prices.getRawSummary(w.result.symbol);
        const from = stored ? addDays(stored.lastDate, -(options.overlapDays ?? 7)) : undefined;
        progress(
          'extract',
          w.result.symbol,
          from ? `fetching from ${from}` : 'fetching full history',
        );
        w.fetch = await deps.source.fetchDaily(w.result.symbol, from ? { from } : {});
        w.result.fetched = w.fetch.bars.length;
        return {
          bars: w.fetch.bars.length,
          actions: w.fetch.actions.length,
          inProgress: w.fetch.inProgress ? 1 : 0,
        };
      },
      options.concurrency ?? 4,
    );
    await step('validate', (w) => {
      const fetch = w.fetch as SourceFetch;
      // East of UTC an exchange's calendar day starts earlier: "future" is judged by its own date too.
      const local = exchangeDate(now, fetch.timezone);
      const { bars, quarantined } = validateFetch(fetch, local > todayDate ? local : todayDate);
      w.valid = bars;
      w.quarantine = quarantined;
      w.result.quarantined = quarantined.length;
      return Promise.resolve({
        valid: bars.length,
        quarantined: quarantined.length,
        duplicates: fetch.bars.length - bars.length - quarantined.length,
      });
    });
    await step('load_raw', async (w) => {
      const fetch = w.fetch as SourceFetch;
      const symbol = w.result.symbol;
      const counts = await deps.prices.upsertRawBars(
        symbol,
        w.valid ?? [],
        fetch.source,
        fetch.fetchedAt,
      );
      const actions = await deps.prices.upsertActions(
        symbol,
        fetch.actions,
        fetch.source,
        fetch.fetchedAt,
      );
      await deps.prices.addQuarantine(symbol, w.quarantine ?? [], fetch.source);
      Object.assign(w.result, counts, { actions });
      progress(
        'load_raw',
        symbol,
        `${counts.inserted} new, ${counts.updated} changed, ${counts.unchanged} unchanged`,
      );
      return { ...counts, actions, quarantined: w.quarantine?.length ?? 0 };
    });
    await step('clean', async (w) => {
      const { bars, written } = await refreshClean(deps, w.result.symbol);
      w.clean = bars;
      w.result.cleanRows = bars.length;
      w.result.from = bars[0]?.date ?? null;
      w.result.to = bars[bars.length - 1]?.date ?? null;
      return { rows: bars.length, written };
    });
    await step('quality', (w) => {
      const checks = qualityChecks(w.result.symbol, w.clean ?? [], calendarFor(w.result.symbol));
      quality.push(...checks);
      const counts: Record<string, number> = {};
      for (const c of checks) {
        counts[c.status] = (counts[c.status] ?? 0) + 1;
      }
      return Promise.resolve(counts);
    });
    if (input.snapshot !== false) {
      await step('snapshot', async (w) => {
        const ref = await deps.datasets.snapshot(w.result.symbol, w.clean ?? []);
        w.result.snapshot = ref;
        progress('snapshot', w.result.symbol, `${ref.rows} rows -> ${ref.uri}`);
        return { files: 1, rows: ref.rows, bytes: ref.bytes };
      });
    }
  } catch (e) {
    // Only the run log itself can fail here (each step catches per ticker): record what is known, then rethrow.
    await deps.etlRuns
      .finish(id, {
        status: 'failed',
        endedAt: Date.now(),
        steps,
        results: work.map((w) => w.result),
        quality,
      })
      .catch(() => undefined);
    throw e;
  }
  const results = work.map((w) => w.result);
  const failed = results.filter((r) => r.status === 'failed').length;
  const status = failed === 0 ? 'completed' : failed === results.length ? 'failed' : 'partial';
  const endedAt = Date.now();
  await deps.etlRuns.finish(id, { status, endedAt, steps, results, quality });
  for (const r of results.filter((x) => x.status === 'ok')) {
    announceDataLoaded(deps, {
      ticker: r.symbol,
      origin: 'etl',
      newBars: r.inserted,
      updatedBars: r.updated,
      lastDate: r.to,
      etlRunId: id,
      at: endedAt,
    });
  }
  return { id, status, trigger, flowRunId, tickers, startedAt, endedAt, steps, results, quality };
}
