// Taiwan Stock Exchange holidays by rule: fixed-date national holidays, the lunar festivals from a
// table of their Gregorian dates, the Lunar New Year closure, and Taiwan's weekend observance.
import { addDays, dayOfWeek } from '../data/index.js';

/** Gregorian dates of the lunar festivals Taiwan keeps: Lunar New Year (day 1), Dragon Boat, Mid-Autumn. */
const LUNAR: Record<number, readonly [string, string, string]> = {
  2019: ['02-05', '06-07', '09-13'],
  2020: ['01-25', '06-25', '10-01'],
  2021: ['02-12', '06-14', '09-21'],
  2022: ['02-01', '06-03', '09-10'],
  2023: ['01-22', '06-22', '09-29'],
  2024: ['02-10', '06-10', '09-17'],
  2025: ['01-29', '05-31', '10-06'],
  2026: ['02-17', '06-19', '09-25'],
  2027: ['02-06', '06-09', '09-15'],
  2028: ['01-26', '05-28', '10-03'],
  2029: ['02-13', '06-16', '09-22'],
  2030: ['02-03', '06-05', '09-12'],
};

/** First and last years the lunar table covers: outside them the calendar says it does not know. */
export const TWSE_RULE_YEARS = { from: 2019, to: 2030 } as const;

/**
 * Bridge days the government declared (made up on a Saturday) that the exchange also closed on: not
 * derivable by rule, so listed as published. Later ones, typhoon days and elections are unknown here.
 */
const BRIDGE_DAYS = new Set([
  '2019-02-08',
  '2019-03-01',
  '2019-10-11',
  '2020-01-23',
  '2020-06-26',
  '2020-10-02',
  '2021-02-10',
  '2021-09-20',
  '2023-01-20',
  '2023-01-27',
  '2023-02-27',
  '2023-04-03',
  '2023-06-23',
  '2023-10-09',
  '2024-02-08',
  '2025-01-27',
]);

const isWeekend = (d: string) => {
  const w = dayOfWeek(d);
  return w === 0 || w === 6;
};

/** Tomb-Sweeping Day is the Qingming solar term: 4 April in years 4k and 4k+1 of this century, else 5 April. */
const qingming = (year: number) => `${year}-04-0${year % 4 < 2 ? 4 : 5}`;

/** Taiwan's observance rule: a holiday on a Saturday is also taken the Friday before, on a Sunday the Monday after. */
function observe(days: readonly string[], out: Set<string>): void {
  for (const d of days) {
    out.add(d);
    const w = dayOfWeek(d);
    if (w === 6) {
      out.add(addDays(d, -1));
    } else if (w === 0) {
      out.add(addDays(d, 1));
    }
  }
}

/** Non-session weekdays of one year, or null when the year is outside the lunar table. */
export function twseHolidays(year: number): Set<string> | null {
  const lunar = LUNAR[year];
  if (!lunar) {
    return null;
  }
  const out = new Set<string>();
  const [newYear, dragonBoat, midAutumn] = lunar.map((md) => `${year}-${md}`) as [
    string,
    string,
    string,
  ];
  const fixed = [`${year}-01-01`, `${year}-02-28`, `${year}-05-01`, `${year}-10-10`];
  // Holidays added by the 2025 amendment of the Memorial Days and Holidays Act.
  if (year >= 2025) {
    fixed.push(`${year}-09-28`, `${year}-10-25`, `${year}-12-25`);
  }
  observe([...fixed, dragonBoat, midAutumn], out);
  // Children's Day (4 April) sharing its date with Tomb-Sweeping Day moves to the day before, or to
  // the day after when that is a Thursday.
  const tomb = qingming(year);
  const children = `${year}-04-04`;
  if (tomb === children) {
    observe([tomb, dayOfWeek(tomb) === 4 ? addDays(tomb, 1) : addDays(tomb, -1)], out);
  } else {
    observe([children, tomb], out);
  }
  // Lunar New Year: the eve (and since 2026 the day before it) through the third day; each of these
  // on a weekend adds the next weekday. The exchange stops trading two weekdays earlier still
  // (settlement only), counted before any bridge day the government added.
  const block: string[] = [];
  for (let k = year >= 2026 ? -2 : -1; k <= 2; k++) {
    block.push(addDays(newYear, k));
  }
  let owed = block.filter(isWeekend).length;
  let last = block[block.length - 1] ?? newYear;
  while (owed > 0) {
    last = addDays(last, 1);
    if (!isWeekend(last)) {
      block.push(last);
      owed--;
    }
  }
  let first = block[0] ?? newYear;
  while (BRIDGE_DAYS.has(addDays(first, -1)) || isWeekend(addDays(first, -1))) {
    first = addDays(first, -1);
    if (BRIDGE_DAYS.has(first)) {
      block.push(first);
    }
  }
  for (let skipped = 0; skipped < 2;) {
    first = addDays(first, -1);
    if (!isWeekend(first)) {
      block.push(first);
      skipped++;
    }
  }
  for (const d of block) {
    out.add(d);
  }
  for (const d of BRIDGE_DAYS) {
    if (d.startsWith(`${year}-`)) {
      out.add(d);
    }
  }
  return new Set([...out].filter((d) => !isWeekend(d) && d.startsWith(`${year}-`)));
}

const cache = new Map<number, Set<string> | null>();

/** Whether TWSE holds a session on a date by rule; null when the year is outside the rule table. */
export function twseTradesByRule(date: string): boolean | null {
  if (isWeekend(date)) {
    return false;
  }
  const year = Number(date.slice(0, 4));
  let hol = cache.get(year);
  if (hol === undefined) {
    hol = twseHolidays(year);
    cache.set(year, hol);
  }
  return hol ? !hol.has(date) : null;
}
