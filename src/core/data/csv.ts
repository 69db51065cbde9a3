// Strict reader for Yahoo's daily CSV download: every data row is either a bar or a quarantined line with a reason.
import { ImportRefusedError, InvalidCsvError } from '../errors/index.js';
import type { Bar } from './bar.js';
import { isValidIsoDate, MIN_DATE } from './dates.js';
import { validateBar } from './validate.js';

export const EXPECTED_COLUMNS = ['Date', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'] as const;

export interface CsvRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  bar: Bar;
  /** The line as read, for the quarantine when the row later conflicts with a stored bar. */
  raw: string;
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
  const d = new CsvDecoder();
  return d.push(bytes) + d.end();
}

/**
 * UTF-8 decoding of a file that arrives in chunks (a request body): a character split between two chunks is
 * decoded once both are in, and invalid UTF-8 or a NUL byte anywhere refuses the whole file.
 */
export class CsvDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  push(bytes: Uint8Array): string {
    return this.check(() => this.decoder.decode(bytes, { stream: true }));
  }

  end(): string {
    return this.check(() => this.decoder.decode());
  }

  private check(decode: () => string): string {
    let text: string;
    try {
      text = decode();
    } catch {
      throw new InvalidCsvError(`File is not UTF-8 text; ${expectedMessage}.`);
    }
    if (text.includes('\u0000')) {
      throw new InvalidCsvError(`File looks binary (it contains NUL bytes); ${expectedMessage}.`);
    }
    return text;
  }
}

/** Limits of one file, checked while it is read, so a huge or hostile file costs a bounded amount of work. */
export interface CsvLimits {
  /** Data rows a file may hold; one more and the reader stops with a refusal. */
  maxRows: number;
  /** Where the limit is set, named in the refusal (e.g. an environment variable). */
  setting?: string;
}

/** Longest line kept whole; past it a line is quarantined by its first characters (no CSV row is this long). */
export const MAX_LINE_CHARS = 4096;

/**
 * Incremental reader of Yahoo's daily CSV: text goes in chunk by chunk (`push`), complete lines are parsed as they
 * arrive, and `end()` returns the rows. Memory is bounded by the rows kept (at most `maxRows`) and one line, never by
 * the size of the body.
 */
export class CsvBarReader {
  private partial = '';
  private lineNo = 0;
  private header: 'pending' | 'ok' = 'pending';
  private first = true;
  private readonly rows: CsvRow[] = [];
  private readonly quarantined: QuarantinedRow[] = [];
  private dataRows = 0;

  constructor(
    private readonly options: ParseCsvOptions,
    private readonly limits: CsvLimits = { maxRows: Number.POSITIVE_INFINITY },
  ) {}

  push(text: string): void {
    let chunk = text;
    if (this.first && chunk.length > 0) {
      this.first = false;
      chunk = chunk.startsWith('\uFEFF') ? chunk.slice(1) : chunk;
    }
    let i = 0;
    // A \r\n split between two chunks is one line break.
    if (this.skipLf) {
      this.skipLf = false;
      i = chunk.charCodeAt(0) === 10 ? 1 : 0;
    }
    let start = i;
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c !== 10 && c !== 13) {
        continue;
      }
      this.line(this.partial + chunk.slice(start, i));
      this.partial = '';
      if (c === 13) {
        if (i + 1 === chunk.length) {
          this.skipLf = true;
        } else if (chunk.charCodeAt(i + 1) === 10) {
          i++;
        }
      }
      start = i + 1;
    }
    this.partial += chunk.slice(start);
    if (this.partial.length > MAX_LINE_CHARS) {
      // Keep the beginning (for the quarantine), drop the rest of this line as it arrives.
      this.partial = this.partial.slice(0, MAX_LINE_CHARS + 1);
    }
  }

  private skipLf = false;

  end(): ParsedCsv {
    if (this.partial !== '') {
      this.line(this.partial);
      this.partial = '';
    }
    if (this.header === 'pending') {
      throw new InvalidCsvError(`File is empty; ${expectedMessage}.`);
    }
    if (this.dataRows === 0) {
      throw new InvalidCsvError(`File has a header but no data rows; ${expectedMessage}.`);
    }
    this.rows.sort((a, b) =>
      a.bar.date < b.bar.date ? -1 : a.bar.date > b.bar.date ? 1 : a.line - b.line,
    );
    return { rows: this.rows, quarantined: this.quarantined, dataRows: this.dataRows };
  }

  private line(raw: string): void {
    this.lineNo++;
    if (raw.trim() === '') {
      return;
    }
    if (this.header === 'pending') {
      const header = raw.split(',').map(normalizeHeader);
      const ok =
        header.length === EXPECTED_NORMALIZED.length &&
        header.every((h, i) => h === EXPECTED_NORMALIZED[i]);
      if (!ok) {
        throw new InvalidCsvError(`Unexpected header "${raw.slice(0, 200)}"; ${expectedMessage}.`);
      }
      this.header = 'ok';
      return;
    }
    this.dataRows++;
    if (this.dataRows > this.limits.maxRows) {
      throw new ImportRefusedError(
        `The file has more than ${this.limits.maxRows} data rows, the most one import takes` +
          (this.limits.setting ? ` (${this.limits.setting})` : ''),
        { maxRows: this.limits.maxRows },
      );
    }
    const line = this.lineNo;
    if (raw.length > MAX_LINE_CHARS) {
      this.quarantined.push({
        line,
        reason: `line longer than ${MAX_LINE_CHARS} characters`,
        raw: raw.slice(0, 200),
      });
      return;
    }
    const result = parseLine(raw, this.options);
    if (typeof result === 'string') {
      this.quarantined.push({ line, reason: result, raw });
    } else {
      this.rows.push({ line, bar: result, raw });
    }
  }
}

export function parseBarsCsv(input: string, options: ParseCsvOptions): ParsedCsv {
  const reader = new CsvBarReader(options);
  reader.push(input);
  return reader.end();
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
    return `unparseable date "${date.slice(0, 40)}" (expected YYYY-MM-DD)`;
  }
  if (date < MIN_DATE) {
    return `date ${date} is before ${MIN_DATE}, the earliest date accepted`;
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
