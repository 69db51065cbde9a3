// Derives the cleaned daily series from raw bars plus corporate actions, reproducibly: same inputs, same series.
import type { Bar } from './bar.js';

/** A split (`numerator`:`denominator`, e.g. 4:1) or a cash dividend per share, effective on its ex-date. */
export type CorporateAction =
  | { kind: 'split'; date: string; numerator: number; denominator: number }
  | { kind: 'dividend'; date: string; amount: number };

/** A corporate action as stored: when the source reported it decides which price basis its amount is in. */
export type StoredAction = CorporateAction & { source: string; fetchedAt: string };

/** A bar exactly as a source delivered it, with where and when it came from. */
export interface RawBar extends Bar {
  source: string;
  /** ISO timestamp of the fetch (or import) that produced these values. */
  fetchedAt: string;
}

const day = (iso: string) => iso.slice(0, 10);

const splitFactor = (a: Extract<CorporateAction, { kind: 'split' }>) =>
  a.numerator > 0 && a.denominator > 0 ? a.numerator / a.denominator : 1;

/**
 * Puts every bar in today's share basis and makes the adjusted close continuous.
 *
 * Sources adjust prices only for the actions they knew when the bar was fetched: Yahoo's OHLC is split-adjusted and
 * its adjclose split- and dividend-adjusted as of the fetch, and a CSV download as of its export (the import time
 * stands in for it). So a split whose ex-date is after both the bar and its fetch has not been applied yet: its
 * prices are divided by the split factor (volume multiplied). A dividend the source did not know yet multiplies the
 * adjusted close of earlier bars by `1 - amount / previous close`, the CRSP/Yahoo rule. Bars fetched after an
 * action already include it, so re-fetched history and incremental fetches end up on the same series.
 */
export function cleanSeries(
  raw: readonly RawBar[],
  actions: readonly (CorporateAction & { fetchedAt?: string })[],
): Bar[] {
  const bars = isSorted(raw) ? raw : [...raw].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  // An action reaches a value when its ex-date is after both the value's own date and the day it was fetched.
  const reach = bars.map((b) => {
    const f = day(b.fetchedAt);
    return f > b.date ? f : b.date;
  });
  const splits = actions
    .filter(
      (a): a is Extract<CorporateAction, { kind: 'split' }> & { fetchedAt?: string } =>
        a.kind === 'split' && splitFactor(a) !== 1,
    )
    .sort(byDate);
  const splitDates = splits.map((s) => s.date);
  const splitTail = suffixProducts(splits.map(splitFactor));
  const pendingSplits = (after: string) => splitTail[firstAfter(splitDates, after)] ?? 1;

  const out: Bar[] = bars.map((b, i) => {
    const m = pendingSplits(reach[i] ?? b.date);
    return m === 1
      ? { date: b.date, open: b.open, high: b.high, low: b.low, close: b.close, adjClose: b.adjClose, volume: b.volume }
      : {
          date: b.date,
          open: b.open / m,
          high: b.high / m,
          low: b.low / m,
          close: b.close / m,
          adjClose: b.adjClose / m,
          volume: b.volume === null ? null : b.volume * m,
        };
  });

  const dates = out.map((b) => b.date);
  const dividends = actions
    .filter(
      (a): a is Extract<CorporateAction, { kind: 'dividend' }> & { fetchedAt?: string } =>
        a.kind === 'dividend' && a.amount > 0,
    )
    .sort(byDate);
  const factors = dividends.map((d) => {
    // The amount is in the share basis of the day it was reported; later splits apply to it too.
    const reported = d.fetchedAt === undefined ? '' : day(d.fetchedAt);
    const amount = d.amount / pendingSplits(reported > d.date ? reported : d.date);
    const prevClose = out[firstAtOrAfter(dates, d.date) - 1]?.close;
    const f = prevClose === undefined ? 1 : 1 - amount / prevClose;
    // A dividend at or above the share price is a data error, not an adjustment: leave the series alone.
    return f > 0 && f < 1 ? f : 1;
  });
  const divDates = dividends.map((d) => d.date);
  const divTail = suffixProducts(factors);
  out.forEach((b, i) => {
    const f = divTail[firstAfter(divDates, reach[i] ?? b.date)] ?? 1;
    if (f !== 1) {
      b.adjClose *= f;
    }
  });
  return out;
}

const byDate = (a: { date: string }, b: { date: string }) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

function isSorted(bars: readonly { date: string }[]): boolean {
  for (let i = 1; i < bars.length; i++) {
    if ((bars[i]?.date ?? '') < (bars[i - 1]?.date ?? '')) {
      return false;
    }
  }
  return true;
}

/** tail[k] = product of xs[k..]; tail[xs.length] = 1. */
function suffixProducts(xs: readonly number[]): number[] {
  const tail = new Array<number>(xs.length + 1).fill(1);
  for (let k = xs.length - 1; k >= 0; k--) {
    tail[k] = (tail[k + 1] ?? 1) * (xs[k] ?? 1);
  }
  return tail;
}

/** Index of the first sorted date strictly after `d` (binary search). */
function firstAfter(sorted: readonly string[], d: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') <= d) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Index of the first sorted date at or after `d`. */
function firstAtOrAfter(sorted: readonly string[], d: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < d) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}
