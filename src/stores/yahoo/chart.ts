// Reads a yahoo-finance2 chart() result (array form) into source bars and corporate actions, checking its shape.
import { SourceError, type CorporateAction, type SourceBar } from '../../core/index.js';

/** The chart() call the connector needs: yahoo-finance2's, or a recorded one in tests. */
export type ChartFn = (
  symbol: string,
  options: { period1: Date; interval: '1d'; events: string; return: 'array' },
) => Promise<unknown>;

export interface ParsedChart {
  timezone: string;
  bars: SourceBar[];
  actions: CorporateAction[];
  /** Local date of a regular session that is open at `now`, if any. */
  openSession: string | null;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Calendar date of an instant in an IANA time zone: Yahoo stamps daily bars at the session open in UTC. */
export function localDate(instant: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}`;
}

export function parseChart(symbol: string, result: unknown, now: Date): ParsedChart {
  const bad = (what: string) =>
    new SourceError('schema', symbol, `unexpected chart() response from Yahoo: ${what}`);
  const instant = (v: unknown, where: string): Date => {
    const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null;
    if (!d || Number.isNaN(d.getTime())) {
      throw bad(`${where} is not a date`);
    }
    return d;
  };
  const num = (v: unknown, where: string): number | null => {
    if (v === null || v === undefined) {
      return null;
    }
    if (typeof v !== 'number') {
      throw bad(`${where} is not a number`);
    }
    return v;
  };
  if (!isObj(result) || !isObj(result.meta)) {
    throw bad('no meta');
  }
  const timezone = result.meta.exchangeTimezoneName;
  if (typeof timezone !== 'string' || timezone === '') {
    throw bad('meta.exchangeTimezoneName is missing');
  }
  try {
    localDate(now, timezone);
  } catch {
    throw bad(`meta.exchangeTimezoneName "${timezone}" is not a time zone`);
  }
  if (!Array.isArray(result.quotes)) {
    throw bad('quotes is not an array');
  }
  const bars: SourceBar[] = result.quotes.map((q: unknown, i) => {
    if (!isObj(q)) {
      throw bad(`quotes[${i}] is not an object`);
    }
    const at = instant(q.date, `quotes[${i}].date`);
    const close = num(q.close, `quotes[${i}].close`);
    const adj = num(q.adjclose, `quotes[${i}].adjclose`);
    return {
      date: localDate(at, timezone),
      open: num(q.open, `quotes[${i}].open`),
      high: num(q.high, `quotes[${i}].high`),
      low: num(q.low, `quotes[${i}].low`),
      close,
      // Indices often come without adjclose: there is nothing to adjust, so it equals close.
      adjClose: q.adjclose === undefined ? close : adj,
      volume: num(q.volume, `quotes[${i}].volume`),
      raw: JSON.stringify({ ...q, date: at.toISOString() }),
    };
  });
  const actions: CorporateAction[] = [];
  const events = result.events;
  if (events !== undefined && !isObj(events)) {
    throw bad('events is not an object');
  }
  const list = (v: unknown, name: string): unknown[] => {
    if (v === undefined) {
      return [];
    }
    if (!Array.isArray(v)) {
      throw bad(`events.${name} is not an array`);
    }
    return v;
  };
  for (const [i, d] of list(events?.dividends, 'dividends').entries()) {
    const amount = isObj(d) ? num(d.amount, `events.dividends[${i}].amount`) : null;
    if (!isObj(d) || amount === null) {
      throw bad(`events.dividends[${i}] has no amount`);
    }
    actions.push({
      kind: 'dividend',
      date: localDate(instant(d.date, `events.dividends[${i}].date`), timezone),
      amount,
    });
  }
  for (const [i, s] of list(events?.splits, 'splits').entries()) {
    const n = isObj(s) ? num(s.numerator, `events.splits[${i}].numerator`) : null;
    const m = isObj(s) ? num(s.denominator, `events.splits[${i}].denominator`) : null;
    if (!isObj(s) || n === null || m === null || !(n > 0) || !(m > 0)) {
      throw bad(`events.splits[${i}] has no positive numerator and denominator`);
    }
    actions.push({
      kind: 'split',
      date: localDate(instant(s.date, `events.splits[${i}].date`), timezone),
      numerator: n,
      denominator: m,
    });
  }
  actions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let openSession: string | null = null;
  const period = isObj(result.meta.currentTradingPeriod)
    ? result.meta.currentTradingPeriod.regular
    : undefined;
  if (isObj(period) && period.start !== undefined && period.end !== undefined) {
    const start = instant(period.start, 'meta.currentTradingPeriod.regular.start');
    const end = instant(period.end, 'meta.currentTradingPeriod.regular.end');
    if (now >= start && now < end) {
      openSession = localDate(start, timezone);
    }
  }
  return { timezone, bars, actions, openSession };
}
