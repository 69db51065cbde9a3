// CSV import: read the file as it arrives (bounded), reconcile with the raw bars stored, then store new bars, quarantine
// the rest and re-derive the cleaned series in one transaction.
import { createHash } from 'node:crypto';
import {
  calendarFor,
  CsvBarReader,
  CsvDecoder,
  ImportRefusedError,
  qualityChecks,
  reconcileRows,
  type Bar,
  type QualityCheck,
  type TickerSymbol,
} from '../core/index.js';
import { IMPORT_QUARANTINE_LISTED, type ImportResult } from '../api/index.js';
import { announceDataLoaded } from './announce.js';
import { today, type ImportLimits, type ServiceDeps } from './deps.js';
import { refreshClean } from './etl-clean.js';

/** 100k rows is about 400 years of trading days: any real daily file fits, and a junk one stops early. */
export const DEFAULT_IMPORT_LIMITS: Required<ImportLimits> = { maxRows: 100_000, maxBadShare: 0.5 };

/** A file with at most this many bad rows is judged row by row whatever its share (one good, one bad row imports). */
export const BAD_ROWS_GRACE = 10;

/** Slices a body held in memory, so it is read the same way as one that streams in. */
async function* chunksOf(body: Uint8Array | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  if (body instanceof Uint8Array) {
    for (let i = 0; i < body.length; i += 65536) {
      yield body.subarray(i, i + 65536);
    }
    return;
  }
  yield* body;
}

/**
 * Every data row ends up counted once: imported + duplicates + quarantinedTotal = data rows in the file. A file
 * that is not the expected CSV, has more rows than the limit or too large a share of bad rows is refused before
 * anything is written; otherwise raw rows, quarantine and cleaned series commit together, so a crash leaves the
 * ticker as it was or fully imported. Quarantined rows are keyed by the file's digest and line, so importing the
 * same file again adds none.
 */
export async function importCsv(
  deps: ServiceDeps,
  input: {
    ticker: TickerSymbol;
    body: Uint8Array | AsyncIterable<Uint8Array>;
    source: string;
  },
): Promise<ImportResult> {
  const ticker = input.ticker;
  const limits = { ...DEFAULT_IMPORT_LIMITS, ...deps.imports };
  const reader = new CsvBarReader(
    { today: today(deps) },
    { maxRows: limits.maxRows, setting: 'STOCKOPS_IMPORT_MAX_ROWS' },
  );
  const decoder = new CsvDecoder();
  const digest = createHash('sha256');
  for await (const chunk of chunksOf(input.body)) {
    digest.update(chunk);
    reader.push(decoder.push(chunk));
  }
  reader.push(decoder.end());
  const parsed = reader.end();
  const fileKey = `csv:${digest.digest('hex')}`;

  const { result, lastDate } = await deps.prices.atomically(async (store) => {
    // Rows are compared with the raw bars as stored (not the cleaned, split-adjusted ones), in the file's date range.
    const first = parsed.rows[0]?.bar.date;
    const last = parsed.rows[parsed.rows.length - 1]?.bar.date;
    const stored = new Map<string, Bar>(
      first === undefined || last === undefined
        ? []
        : (await store.getRawBars(ticker, { from: first, to: last })).map((b) => [b.date, b]),
    );
    const rec = reconcileRows(parsed.rows, stored);
    const quarantined = [...parsed.quarantined, ...rec.quarantined].sort((a, b) => a.line - b.line);
    const bad = quarantined.length;
    if (bad > BAD_ROWS_GRACE && bad > limits.maxBadShare * parsed.dataRows) {
      const shown = quarantined
        .slice(0, 3)
        .map((q) => `line ${q.line}: ${q.reason}`)
        .join('; ');
      throw new ImportRefusedError(
        `Refused the whole file: ${bad} of ${parsed.dataRows} data rows (${((100 * bad) / parsed.dataRows).toFixed(1)}%) ` +
          `are bad, more than the ${(100 * limits.maxBadShare).toFixed(0)}% allowed (STOCKOPS_IMPORT_MAX_BAD_SHARE); ` +
          `is it the right file? First bad rows: ${shown}`,
        { bad, dataRows: parsed.dataRows },
      );
    }
    const inserted = await store.insertBars(ticker, rec.toInsert, input.source);
    await store.addQuarantine(
      ticker,
      quarantined.map((q) => ({ ...q, key: `${fileKey}:${q.line}` })),
      input.source,
    );
    let quality: QualityCheck[] = [];
    let lastDate: string | null = null;
    if (inserted > 0) {
      const clean = await refreshClean({ prices: store }, ticker);
      lastDate = clean.bars[clean.bars.length - 1]?.date ?? null;
      const calendar = calendarFor(ticker);
      quality = qualityChecks(ticker, clean.bars, {
        isTradingDay: (d) => calendar.isTradingDay(d),
        splits: clean.splits,
      });
    }
    const result: ImportResult = {
      ticker,
      imported: inserted,
      // A row inserted concurrently by another writer between read and insert is a duplicate, not lost.
      duplicates: rec.duplicates + (rec.toInsert.length - inserted),
      quarantined: quarantined
        .slice(0, IMPORT_QUARANTINE_LISTED)
        .map((q) => ({ line: q.line, reason: q.reason })),
      quarantinedTotal: bad,
      quality,
    };
    return { result, lastDate };
  });
  // Announced once committed: a listener that reads the ticker then finds what the event says.
  if (result.imported > 0) {
    announceDataLoaded(deps, {
      ticker,
      origin: 'import',
      newBars: result.imported,
      updatedBars: 0,
      lastDate,
      etlRunId: null,
      at: Date.now(),
    });
  }
  return result;
}
