// Every number, date and count the UI shows is formatted here, so pages and charts show them alike.

/** Shown for a value that is missing or not a finite number. */
export const DASH = '—';

const priceFormat = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

const wholeFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const isNumber = (x: number | undefined | null): x is number =>
  x !== undefined && x !== null && Number.isFinite(x);

export function formatPrice(value: number): string {
  return priceFormat.format(value);
}

/**
 * Price-axis tick labels: when every tick is a whole number the cents carry no information and
 * only widen the axis, which costs a narrow phone a tenth of its plot.
 */
export function formatAxisPrices(prices: readonly number[]): string[] {
  const whole = prices.every((p) => Number.isInteger(Math.round(p * 100) / 100));
  return prices.map((p) => (whole ? wholeFormat.format(p) : priceFormat.format(p)));
}

export function formatCount(value: number): string {
  return wholeFormat.format(value);
}

/** "1 version", "2 versions", "1,204 rows": a count with its noun in the right number. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : pluralNoun}`;
}

/**
 * A fraction as a percentage, e.g. 0.00054 -> "0.05%" ("+0.05%" when signed); a dash when there is
 * no number. Negative values take a real minus sign, which lines up with the digits.
 */
export function formatPercent(
  fraction: number | undefined | null,
  digits = 2,
  signed = false,
): string {
  if (!isNumber(fraction)) {
    return DASH;
  }
  const pct = fraction * 100;
  const text = `${Math.abs(pct).toFixed(digits)}%`;
  // Rounding can turn a tiny negative into "-0.00%", which reads as a direction that is not there.
  if (Number(pct.toFixed(digits)) === 0) {
    return text;
  }
  if (pct < 0) {
    return `−${text}`;
  }
  return signed ? `+${text}` : text;
}

/** A metric in a table (RMSE, p-values): `digits` significant digits, a dash when missing. */
export function formatMetric(x: number | undefined | null, digits = 5): string {
  return isNumber(x) ? x.toPrecision(digits) : DASH;
}

/** An instant as "YYYY-MM-DD HH:MM" in UTC; tables label their columns "(UTC)". */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}

/** An instant's time of day as "HH:MM:SS" in UTC, for log lines. */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** How long something ran: "4.2 s", "3 min 5 s"; still running counts up to `now`; a dash before it starts. */
export function formatDuration(
  startedAt: number | null,
  endedAt: number | null,
  now: number,
): string {
  if (startedAt === null) {
    return DASH;
  }
  const s = Math.max(0, (endedAt ?? now) - startedAt) / 1000;
  if (s < 60) {
    return `${s.toFixed(1)} s`;
  }
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

const dateFormat = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

// Trading dates are calendar dates in the exchange's zone; reading them as UTC midnight keeps the
// viewer's own time zone from shifting them by a day.
export function parseDay(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

export function toDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A trading date as "Fri, Apr 17, 2020"; an unparseable one is shown as given. */
export function formatDay(date: string): string {
  const parsed = parseDay(date);
  return Number.isNaN(parsed.getTime()) ? date : dateFormat.format(parsed);
}

const shortDateFormat = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/** A date in a narrow table column, e.g. "Mon, Apr 20": the year is the page's. */
export function formatShortDay(date: string): string {
  const parsed = parseDay(date);
  return Number.isNaN(parsed.getTime()) ? date : shortDateFormat.format(parsed);
}

/** Trading days as "1 trading day" / "5 trading days". */
export function formatTradingDays(days: number): string {
  return plural(days, 'trading day');
}
