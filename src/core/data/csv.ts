// Strict reader for Yahoo's daily CSV download: every data row is either a bar or a quarantined line with a reason.
import { InvalidCsvError } from '../errors/index.js';
import type { Bar } from './bar.js';
import { isValidIsoDate } from './dates.js';
import { validateBar } from './validate.js';

export const EXPECTED_COLUMNS = ['Date', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'] as const;

export interface CsvRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  bar: Bar;
}

export interface QuarantinedRow {
  line: number;
  reason: string;
  raw: string;
}

export interface ParsedCsv {
  /** Valid rows sorted by date; may still hold same-date rows (exact duplicates or conflicts). */
  rows: CsvRow[];
  quarantined: QuarantinedRow[];
  /** Non-blank lines after the header: rows.length + quarantined.length. */
  dataRows: number;
}

export interface ParseCsvOptions {
  /** Dates after this (YYYY-MM-DD) are quarantined as future dates. */
  today: string;
}

const normalizeHeader = (h: string) => h.trim().toLowerCase().replace(/[\s_]+/g, '');
const EXPECTED_NORMALIZED = EXPECTED_COLUMNS.map(normalizeHeader);
const expectedMessage = `expected a Yahoo Finance daily CSV with the header "${EXPECTED_COLUMNS.join(',')}"`;

/** Decodes bytes as UTF-8 text, refusing binary or other encodings as a whole. */
export function decodeCsvBytes(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidCsvError(`File is not UTF-8 text; ${expectedMessage}.`);
  }
  if (text.includes('\u0000')) {
    throw new InvalidCsvError(`File looks binary (it contains NUL bytes); ${expectedMessage}.`);
  }
  return text;
}

export function parseBarsCsv(input: string, options: ParseCsvOptions): ParsedCsv {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const lines = text.split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) {
    throw new InvalidCsvError(`File is empty; ${expectedMessage}.`);
  }
  const header = (lines[headerIndex] ?? '').split(',').map(normalizeHeader);
  const headerOk =
    header.length === EXPECTED_NORMALIZED.length &&
    header.every((h, i) => h === EXPECTED_NORMALIZED[i]);
  if (!headerOk) {
    throw new InvalidCsvError(
      `Unexpected header "${(lines[headerIndex] ?? '').slice(0, 200)}"; ${expectedMessage}.`,
    );
  }
  const rows: CsvRow[] = [];
  const quarantined: QuarantinedRow[] = [];
  let dataRows = 0;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') {
      continue;
    }
    dataRows++;
    const line = i + 1;
    const result = parseLine(raw, options);
    if (typeof result === 'string') {
      quarantined.push({ line, reason: result, raw });
    } else {
      rows.push({ line, bar: result });
    }
  }
  if (dataRows === 0) {
    throw new InvalidCsvError(`File has a header but no data rows; ${expectedMessage}.`);
  }
  rows.sort((a, b) => (a.bar.date < b.bar.date ? -1 : a.bar.date > b.bar.date ? 1 : a.line - b.line));
  return { rows, quarantined, dataRows };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Returns the bar, or the reason the line is quarantined. */
function parseLine(raw: string, options: ParseCsvOptions): Bar | string {
  const fields = raw.split(',').map((f) => f.trim());
  if (fields.length !== EXPECTED_COLUMNS.length) {
    return `expected ${EXPECTED_COLUMNS.length} fields, found ${fields.length}`;
  }
  const date = fields[0] ?? '';
  if (!isValidIsoDate(date)) {
    return `unparseable date "${date}" (expected YYYY-MM-DD)`;
  }
  const values: (number | null)[] = [];
  for (let c = 1; c < EXPECTED_COLUMNS.length; c++) {
    const f = fields[c] ?? '';
    if (f === '' || f.toLowerCase() === 'null') {
      values.push(null);
      continue;
    }
    if (!NUMBER.test(f)) {
      return `unparseable number in ${EXPECTED_COLUMNS[c] ?? ''}: "${f.slice(0, 40)}"`;
    }
    values.push(Number(f));
  }
  const [open, high, low, close, adjClose, volume] = values as [
    number | null,
    number | null,
    number | null,
    number | null,
    number | null,
    number | null,
  ];
  return validateBar({ date, open, high, low, close, adjClose, volume }, options.today);
}
