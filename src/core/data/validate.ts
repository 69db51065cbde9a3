// Checks one daily bar's values; the CSV reader and the price-source ETL share it, so both quarantine for the same reasons.
import type { Bar } from './bar.js';
import { MIN_DATE } from './dates.js';

/** A bar as a source delivered it: any value may be missing (Yahoo sends null bars). */
export interface BarFields {
  date: string;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  adjClose: number | null;
  volume: number | null;
}

const PRICE_FIELDS = [
  ['open', 'Open'],
  ['high', 'High'],
  ['low', 'Low'],
  ['close', 'Close'],
  ['adjClose', 'Adj Close'],
] as const;

/**
 * Returns the bar, or the reason it must be quarantined. `date` must already be a valid YYYY-MM-DD;
 * dates after `today` are refused because no source can know a future close.
 */
export function validateBar(f: BarFields, today: string): Bar | string {
  if (f.date > today) {
    return `future date ${f.date} (today is ${today})`;
  }
  // A date JavaScript parses but the database cannot store (year 0) must be quarantined, not fail the batch.
  if (f.date < MIN_DATE) {
    return `date ${f.date} is before ${MIN_DATE}, the earliest date accepted`;
  }
  if (PRICE_FIELDS.every(([k]) => f[k] === null) && f.volume === null) {
    return 'missing value in every column (a null bar)';
  }
  for (const [key, name] of PRICE_FIELDS) {
    const v = f[key];
    if (v === null) {
      return `missing value in ${name}`;
    }
    if (!Number.isFinite(v)) {
      return `unparseable number in ${name}: ${v}`;
    }
    if (!(v > 0)) {
      return `non-positive price in ${name}: ${v}`;
    }
  }
  const { open, high, low, close, adjClose } = f as {
    open: number;
    high: number;
    low: number;
    close: number;
    adjClose: number;
  };
  if (f.volume !== null && (!Number.isFinite(f.volume) || f.volume < 0)) {
    return `negative volume: ${f.volume}`;
  }
  // Sources round each column separately, so allow one part in 1e6 before calling a bar inconsistent.
  const tol = 1e-6 * high;
  if (high < low) {
    return `high ${high} is below low ${low}`;
  }
  if (close < low - tol || close > high + tol) {
    return `close ${close} is outside [low ${low}, high ${high}]`;
  }
  if (open < low - tol || open > high + tol) {
    return `open ${open} is outside [low ${low}, high ${high}]`;
  }
  return { date: f.date, open, high, low, close, adjClose, volume: f.volume };
}
