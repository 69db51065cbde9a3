// CSV import: parse strictly, reconcile with the raw bars stored, store new bars, quarantine the rest, re-clean.
import {
  decodeCsvBytes,
  parseBarsCsv,
  reconcileRows,
  type Bar,
  type TickerSymbol,
} from '../core/index.js';
import type { ImportResult } from '../api/index.js';
import { announceDataLoaded } from './announce.js';
import { today, type ServiceDeps } from './deps.js';
import { refreshClean } from './etl-clean.js';

/**
 * Every data row ends up counted once: imported + duplicates + quarantined = data rows in the file.
 * A file that is not the expected CSV throws InvalidCsvError before anything is written.
 */
export async function importCsv(
  deps: ServiceDeps,
  input: { ticker: TickerSymbol; bytes: Uint8Array; source: string },
): Promise<ImportResult> {
  const ticker = input.ticker;
  const text = decodeCsvBytes(input.bytes);
  const parsed = parseBarsCsv(text, { today: today(deps) });
  const lines = text.split(/\r\n|\n|\r/);
  // Rows are compared with the raw bars as stored (not the cleaned, split-adjusted ones), in the file's date range.
  const first = parsed.rows[0]?.bar.date;
  const last = parsed.rows[parsed.rows.length - 1]?.bar.date;
  const stored = new Map<string, Bar>(
    first === undefined || last === undefined
      ? []
      : (await deps.prices.getRawBars(ticker, { from: first, to: last })).map((b) => [b.date, b]),
  );
  const rec = reconcileRows(parsed.rows, stored, (line) => lines[line - 1] ?? '');
  const quarantined = [...parsed.quarantined, ...rec.quarantined].sort((a, b) => a.line - b.line);
  const inserted = await deps.prices.insertBars(ticker, rec.toInsert, input.source);
  await deps.prices.addQuarantine(ticker, quarantined, input.source);
  if (inserted > 0) {
    const { bars } = await refreshClean(deps, ticker);
    announceDataLoaded(deps, {
      ticker,
      origin: 'import',
      newBars: inserted,
      updatedBars: 0,
      lastDate: bars[bars.length - 1]?.date ?? null,
      etlRunId: null,
      at: Date.now(),
    });
  }
  return {
    ticker,
    imported: inserted,
    // A row inserted concurrently by another writer between read and insert is a duplicate, not lost.
    duplicates: rec.duplicates + (rec.toInsert.length - inserted),
    quarantined: quarantined.map((q) => ({ line: q.line, reason: q.reason })),
  };
}
