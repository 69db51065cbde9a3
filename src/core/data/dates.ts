// Calendar-date helpers on YYYY-MM-DD strings, computed in UTC so they never depend on the host time zone.

export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Earliest date stockops accepts anywhere (queries, CSV rows, fetched bars). No exchange series it serves starts
 * earlier, and year 0 or 1 is a date JavaScript parses but PostgreSQL's date type refuses (BC dates).
 */
export const MIN_DATE = '1900-01-01';

/**
 * Latest date accepted (a query's `to`; bars themselves are never in the future): the end of next year, so at least
 * a year ahead, and a bound a date pattern can state (the contract's IsoDate lists the years).
 */
export function latestDate(today: string): string {
  return `${Number(today.slice(0, 4)) + 1}-12-31`;
}

export function isValidIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) {
    return false;
  }
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * The one date check of the edge and of every row that reaches a store: why `s` is not a usable date (not a
 * calendar date, before MIN_DATE, after the end of next year), or null when it is.
 */
export function dateProblem(s: string, today: string): string | null {
  if (!isValidIsoDate(s)) {
    return `"${s.slice(0, 40)}" is not a calendar date (expected YYYY-MM-DD)`;
  }
  if (s < MIN_DATE) {
    return `${s} is before ${MIN_DATE}, the earliest date accepted`;
  }
  const latest = latestDate(today);
  if (s > latest) {
    return `${s} is after ${latest}, the end of next year`;
  }
  return null;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
