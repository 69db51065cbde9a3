// CSV import: parse strictly, reconcile with what is stored, store new bars and quarantine the rest.
import { decodeCsvBytes, normalizeSymbol, parseBarsCsv, reconcileRows } from '../core/index.js';
import { today, type PipelineDeps } from './deps.js';

export interface ImportResult {
  ticker: string;
  imported: number;
  duplicates: number;
  quarantined: { line: number; reason: string }[];
}

/**
 * Every data row ends up counted once: imported + duplicates + quarantined = data rows in the file.
 * A file that is not the expected CSV throws InvalidCsvError before anything is written.
 */
export async function importCsv(
  deps: PipelineDeps,
  input: { ticker: string; bytes: Uint8Array; source: string },
): Promise<ImportResult> {
  const ticker = normalizeSymbol(input.ticker);
  const text = decodeCsvBytes(input.bytes);
  const parsed = parseBarsCsv(text, { today: today(deps) });
  const lines = text.split(/\r\n|\n|\r/);
  const stored = new Map((await deps.prices.getBars(ticker)).map((b) => [b.date, b]));
  const rec = reconcileRows(parsed.rows, stored, (line) => lines[line - 1] ?? '');
  const quarantined = [...parsed.quarantined, ...rec.quarantined].sort((a, b) => a.line - b.line);
  const inserted = await deps.prices.insertBars(ticker, rec.toInsert, input.source);
  await deps.prices.addQuarantine(ticker, quarantined, input.source);
  return {
    ticker,
    imported: inserted,
    // A row inserted concurrently by another writer between read and insert is a duplicate, not lost.
    duplicates: rec.duplicates + (rec.toInsert.length - inserted),
    quarantined: quarantined.map((q) => ({ line: q.line, reason: q.reason })),
  };
}
