// Number and date formatting shared by the chart and the prediction card, so both show prices alike.

const priceFormat = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

const wholeFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

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
  return countFormat.format(value);
}

/** A fraction as a percentage, e.g. 0.00054 -> "+0.05%"; the sign is explicit when asked for. */
export function formatPercent(fraction: number, digits = 2, signed = false): string {
  const pct = fraction * 100;
  const text = `${Math.abs(pct).toFixed(digits)}%`;
  // Rounding can turn a tiny negative into "-0.00%", which reads as a direction that is not there.
  const rounded = Number(pct.toFixed(digits));
  if (rounded === 0) {
    return text;
  }
  if (pct < 0) {
    return `−${text}`;
  }
  return signed ? `+${text}` : text;
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

export function formatDay(date: string): string {
  const parsed = parseDay(date);
  return Number.isNaN(parsed.getTime()) ? date : dateFormat.format(parsed);
}
