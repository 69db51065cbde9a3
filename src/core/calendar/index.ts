// Exchange trading calendars: which dates trade, so forecast target dates are real sessions.
import { addDays, dayOfWeek } from '../data/index.js';
import { twseTradesByRule } from './twse.js';

export { TWSE_RULE_YEARS, twseHolidays } from './twse.js';

export interface TradingCalendar {
  readonly name: string;
  isTradingDay(date: string): boolean;
}

/** The n-th trading day strictly after `date` (n >= 1). */
export function tradingDayAfter(cal: TradingCalendar, date: string, n: number): string {
  let d = date;
  let left = n;
  // 40 calendar days covers any run of closures; the bound only guards against a broken calendar.
  for (let guard = 0; left > 0 && guard < n * 7 + 40; guard++) {
    d = addDays(d, 1);
    if (cal.isTradingDay(d)) {
      left--;
    }
  }
  return d;
}

const isWeekend = (date: string) => {
  const w = dayOfWeek(date);
  return w === 0 || w === 6;
};

export const weekdayCalendar: TradingCalendar = {
  name: 'weekdays',
  isTradingDay: (date) => !isWeekend(date),
};

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** Date of the k-th given weekday (0=Sun) in a month; k = -1 means the last one. */
function nthWeekday(year: number, month: number, weekday: number, k: number): string {
  if (k > 0) {
    const first = dayOfWeek(ymd(year, month, 1));
    const day = 1 + ((weekday - first + 7) % 7) + (k - 1) * 7;
    return ymd(year, month, day);
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = dayOfWeek(ymd(year, month, lastDay));
  return ymd(year, month, lastDay - ((last - weekday + 7) % 7));
}

/** Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
function easter(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** Saturday holidays move to Friday and Sunday ones to Monday (NYSE Rule 7.2). */
function observed(date: string): string {
  const w = dayOfWeek(date);
  return w === 6 ? addDays(date, -1) : w === 0 ? addDays(date, 1) : date;
}

/** Unscheduled NYSE closures: 9/11, Hurricane Sandy, national days of mourning. */
const NYSE_SPECIAL_CLOSURES = new Set([
  '2001-09-11',
  '2001-09-12',
  '2001-09-13',
  '2001-09-14',
  '2004-06-11',
  '2007-01-02',
  '2012-10-29',
  '2012-10-30',
  '2018-12-05',
  '2025-01-09',
]);

function nyseHolidays(year: number): Set<string> {
  const h = new Set<string>();
  const newYear = ymd(year, 1, 1);
  // A Saturday New Year is not moved back into the previous year (NYSE Rule 7.2).
  if (dayOfWeek(newYear) !== 6) {
    h.add(observed(newYear));
  }
  h.add(nthWeekday(year, 1, 1, 3));
  h.add(nthWeekday(year, 2, 1, 3));
  h.add(addDays(easter(year), -2));
  h.add(nthWeekday(year, 5, 1, -1));
  if (year >= 2022) {
    h.add(observed(ymd(year, 6, 19)));
  }
  h.add(observed(ymd(year, 7, 4)));
  h.add(nthWeekday(year, 9, 1, 1));
  h.add(nthWeekday(year, 11, 4, 4));
  h.add(observed(ymd(year, 12, 25)));
  return h;
}

const nyseCache = new Map<number, Set<string>>();

export const nyseCalendar: TradingCalendar = {
  name: 'NYSE',
  isTradingDay(date) {
    if (isWeekend(date) || NYSE_SPECIAL_CLOSURES.has(date)) {
      return false;
    }
    const year = Number(date.slice(0, 4));
    let hol = nyseCache.get(year);
    if (!hol) {
      hol = nyseHolidays(year);
      nyseCache.set(year, hol);
    }
    return !hol.has(date);
  },
};

/**
 * A calendar learned from a ticker's own sessions, for exchanges without a holiday table here (and
 * for TWSE beyond the years its rules cover). Inside the history a date trades exactly when it has a bar. After
 * the last bar it is a weekday that is not a recurring closure: a month-day that was a weekday without
 * a session in at least two of the last five years of history (New Year, national days, Christmas).
 * Holidays that move with the lunar calendar (Lunar New Year, Dragon Boat, Mid-Autumn) cannot be
 * learned this way and are treated as sessions.
 */
export function historyCalendar(name: string, sessions: readonly string[]): TradingCalendar {
  const set = new Set(sessions);
  const sorted = [...sessions].sort();
  const first = sorted[0] ?? '';
  const last = sorted[sorted.length - 1] ?? '';
  const closures = new Map<string, number>();
  const lastYear = Number(last.slice(0, 4));
  const fromYear = Math.max(Number(first.slice(0, 4)), lastYear - 5);
  for (let y = fromYear; y < lastYear; y++) {
    for (let d = `${y}-01-01`; d <= `${y}-12-31`; d = addDays(d, 1)) {
      if (d >= first && d <= last && !isWeekend(d) && !set.has(d)) {
        const md = d.slice(5);
        closures.set(md, (closures.get(md) ?? 0) + 1);
      }
    }
  }
  const recurring = new Set([...closures].filter(([, n]) => n >= 2).map(([md]) => md));
  return {
    name: `${name} (from its history)`,
    isTradingDay(date) {
      if (isWeekend(date)) {
        return false;
      }
      if (sorted.length > 0 && date >= first && date <= last) {
        return set.has(date);
      }
      return !(date > last && recurring.has(date.slice(5)));
    },
  };
}

/**
 * TWSE: exactly the ticker's own sessions inside its history; after it, the holiday rules of
 * `twse.ts` for the years they cover, and the history-learned closures beyond those years.
 */
export function twseCalendar(symbol: string, sessions: readonly string[] = []): TradingCalendar {
  const learned = historyCalendar(symbol, sessions);
  let last = '';
  for (const d of sessions) {
    last = d > last ? d : last;
  }
  return {
    name: 'TWSE',
    isTradingDay(date) {
      if (sessions.length > 0 && date <= last) {
        return learned.isTradingDay(date);
      }
      return twseTradesByRule(date) ?? learned.isTradingDay(date);
    },
  };
}

/**
 * NYSE for US symbols (no exchange suffix, and indices like ^GSPC); TWSE for `.TW` and `.TWO`; for
 * other exchanges the calendar learned from the ticker's own sessions when they are given, else weekdays.
 */
export function calendarFor(symbol: string, sessions?: readonly string[]): TradingCalendar {
  const suffix = symbol.includes('.') ? symbol.slice(symbol.lastIndexOf('.') + 1) : '';
  if (suffix === '') {
    return nyseCalendar;
  }
  if (suffix === 'TW' || suffix === 'TWO') {
    return twseCalendar(symbol, sessions);
  }
  return sessions && sessions.length > 0 ? historyCalendar(symbol, sessions) : weekdayCalendar;
}
