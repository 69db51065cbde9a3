// Rows in PostgreSQL's binary COPY format, for bulk loads that skip parsing numbers from text on the server.
import { InvalidInputError } from '../../core/index.js';

/** "PGCOPY\n\377\r\n\0", then a zero flags field and a zero-length header extension (protocol docs, "Binary Format"). */
const HEADER = [
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
];

/** PostgreSQL counts dates and timestamps from 2000-01-01; JavaScript from 1970-01-01. */
const PG_EPOCH_DAYS = 10_957;
const PG_EPOCH_MS = PG_EPOCH_DAYS * 86_400_000;

const DIGIT0 = 48;
const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9] as const;
const THIRTY_DAYS = new Set([4, 6, 9, 11]);

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), exact for any year. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

const daysInMonth = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : THIRTY_DAYS.has(month)
      ? 30
      : 31;

/**
 * A checked YYYY-MM-DD date as days since 2000-01-01. The server would refuse a malformed date in a text
 * parameter; in binary it would store whatever day number it gets, so the check happens here.
 */
export function pgDate(date: string): number {
  const c = (i: number) => date.charCodeAt(i) - DIGIT0;
  const digits = DIGIT_AT.every((i) => c(i) >= 0 && c(i) <= 9);
  const year = c(0) * 1000 + c(1) * 100 + c(2) * 10 + c(3);
  const month = c(5) * 10 + c(6);
  const day = c(8) * 10 + c(9);
  if (
    date.length !== 10 ||
    !digits ||
    date[4] !== '-' ||
    date[7] !== '-' ||
    year === 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month)
  ) {
    throw new InvalidInputError('date', `"${date.slice(0, 20)}" is not a YYYY-MM-DD date`);
  }
  return daysFromCivil(year, month, day) - PG_EPOCH_DAYS;
}

/** An ISO 8601 timestamp as microseconds since 2000-01-01 UTC (millisecond precision, as JavaScript dates have). */
export function pgTimestamptz(iso: string): bigint {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) {
    throw new InvalidInputError('fetchedAt', `"${iso.slice(0, 40)}" is not an ISO 8601 timestamp`);
  }
  return BigInt(ms - PG_EPOCH_MS) * 1000n;
}

/**
 * Builds one COPY payload field by field: a row starts with `row(fieldCount)`, then one call per column in the
 * order of the COPY column list. Text goes in as UTF-8 bytes encoded once by the caller, since the values that
 * repeat on every row (symbol, source) would otherwise be encoded once per row.
 */
export class BinaryCopyWriter {
  private bytes: Uint8Array;
  private view: DataView;
  private at = HEADER.length;

  /** @param rowBytes - expected bytes per row, to size the buffer once; it grows if a row is longer. */
  constructor(rows: number, rowBytes: number) {
    this.bytes = new Uint8Array(HEADER.length + rows * rowBytes + 2);
    this.bytes.set(HEADER);
    this.view = new DataView(this.bytes.buffer);
  }

  private room(n: number): void {
    if (this.at + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n));
      grown.set(this.bytes.subarray(0, this.at));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
  }

  row(fields: number): this {
    this.room(2);
    this.view.setInt16(this.at, fields);
    this.at += 2;
    return this;
  }

  text(utf8: Uint8Array): this {
    this.room(4 + utf8.length);
    this.view.setInt32(this.at, utf8.length);
    this.bytes.set(utf8, this.at + 4);
    this.at += 4 + utf8.length;
    return this;
  }

  /** Days since 2000-01-01, as `pgDate` returns them. */
  date(days: number): this {
    this.room(8);
    this.view.setInt32(this.at, 4);
    this.view.setInt32(this.at + 4, days);
    this.at += 8;
    return this;
  }

  float8(value: number | null): this {
    this.room(12);
    if (value === null) {
      this.view.setInt32(this.at, -1);
      this.at += 4;
    } else {
      this.view.setInt32(this.at, 8);
      this.view.setFloat64(this.at + 4, value);
      this.at += 12;
    }
    return this;
  }

  /** Microseconds since 2000-01-01 UTC, as `pgTimestamptz` returns them. */
  timestamptz(micros: bigint): this {
    this.room(12);
    this.view.setInt32(this.at, 8);
    this.view.setBigInt64(this.at + 4, micros);
    this.at += 12;
    return this;
  }

  /** The payload with its end-of-data marker; the writer is not to be used afterwards. */
  finish(): Uint8Array {
    this.room(2);
    this.view.setInt16(this.at, -1);
    this.at += 2;
    return this.bytes.subarray(0, this.at);
  }
}
