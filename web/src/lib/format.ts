// Every number, date and count the UI shows is formatted here, with Intl for the language in use, so pages and charts show them alike.
import { currentLocale, i18n } from '../i18n';

/** Shown for a value that is missing or not a finite number. */
export const DASH = '—';

/** Intl's locale for a UI language: English numbers and dates as in the US, Chinese as in Taiwan. */
const intlLocale = () => (currentLocale() === 'zh-TW' ? 'zh-TW' : 'en-US');

/** Formatters are costly to build and asked for on every render: one per locale and kind. */
function cached<T>(make: (locale: string) => T): () => T {
  const byLocale = new Map<string, T>();
  return () => {
    const locale = intlLocale();
    let f = byLocale.get(locale);
    if (f === undefined) {
      f = make(locale);
      byLocale.set(locale, f);
    }
    return f;
  };
}

const priceFormat = cached(
  (l) => new Intl.NumberFormat(l, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
);
const wholeFormat = cached((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 }));

const isNumber = (x: number | undefined | null): x is number =>
  x !== undefined && x !== null && Number.isFinite(x);

export function formatPrice(value: number): string {
  return priceFormat().format(value);
}

/**
 * Price-axis tick labels: when every tick is a whole number the cents carry no information and
 * only widen the axis, which costs a narrow phone a tenth of its plot.
 */
export function formatAxisPrices(prices: readonly number[]): string[] {
  const whole = prices.every((p) => Number.isInteger(Math.round(p * 100) / 100));
  return prices.map((p) => (whole ? wholeFormat().format(p) : priceFormat().format(p)));
}

export function formatCount(value: number): string {
  return wholeFormat().format(value);
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
    return i18n.t('units.seconds', { value: s.toFixed(1) });
  }
  const whole = Math.round(s);
  return i18n.t('units.minutesSeconds', { minutes: Math.floor(whole / 60), seconds: whole % 60 });
}

const dateFormat = cached(
  (l) =>
    new Intl.DateTimeFormat(l, {
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    }),
);

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
  return Number.isNaN(parsed.getTime()) ? date : dateFormat().format(parsed);
}

const shortDateFormat = cached(
  (l) =>
    new Intl.DateTimeFormat(l, {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    }),
);

/** A date in a narrow table column, e.g. "Mon, Apr 20": the year is the page's. */
export function formatShortDay(date: string): string {
  const parsed = parseDay(date);
  return Number.isNaN(parsed.getTime()) ? date : shortDateFormat().format(parsed);
}

/** Trading days as "1 trading day" / "5 trading days" (「5 個交易日」). */
export function formatTradingDays(days: number): string {
  return i18n.t('units.tradingDays', { count: days, value: formatCount(days) });
}

/** A count with its noun, pluralised by the language's rules: `key` names the noun's entry in the resources. */
export function formatCountOf(key: string, count: number): string {
  return i18n.t(key, { count, value: formatCount(count) });
}
