import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek } from '../data/index.js';
import { calendarFor, historyCalendar, nyseCalendar, tradingDayAfter } from './index.js';

const sampleDates = (): string[] => {
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('vega-datasets')), '..', 'data', 'sp500-2000.csv');
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.slice(0, 10));
};

describe('nyseCalendar', () => {
  it('agrees with every session of the real S&P 500 history 2000-2020, day for day', () => {
    const dates = sampleDates();
    const first = dates[0] ?? '';
    const last = dates[dates.length - 1] ?? '';
    const expected: string[] = [];
    for (let d = first; d <= last; d = addDays(d, 1)) {
      if (nyseCalendar.isTradingDay(d)) {
        expected.push(d);
      }
    }
    expect(expected).toEqual(dates);
  });

  it('knows recent holidays: Juneteenth 2023, Good Friday 2024, Christmas 2022 observed', () => {
    expect(nyseCalendar.isTradingDay('2023-06-19')).toBe(false);
    expect(nyseCalendar.isTradingDay('2024-03-29')).toBe(false);
    expect(nyseCalendar.isTradingDay('2022-12-26')).toBe(false);
    expect(nyseCalendar.isTradingDay('2024-07-05')).toBe(true);
  });
});

describe('tradingDayAfter', () => {
  it('never lands on a weekend and skips holidays', () => {
    expect(tradingDayAfter(nyseCalendar, '2020-04-17', 1)).toBe('2020-04-20');
    expect(tradingDayAfter(nyseCalendar, '2024-03-28', 1)).toBe('2024-04-01');
    for (let d = '2019-01-01'; d < '2019-12-31'; d = addDays(d, 3)) {
      for (const h of [1, 5, 20]) {
        const t = tradingDayAfter(calendarFor('2330.TW'), d, h);
        expect([0, 6]).not.toContain(dayOfWeek(t));
        expect(t > d).toBe(true);
      }
    }
  });
});

describe('historyCalendar', () => {
  // Weekdays 2015-2020 without 1 January, 28 February and 10 October (Taiwan's fixed-date holidays).
  const sessions: string[] = [];
  for (let d = '2015-01-01'; d <= '2020-06-30'; d = addDays(d, 1)) {
    const w = dayOfWeek(d);
    if (w !== 0 && w !== 6 && !['01-01', '02-28', '10-10'].includes(d.slice(5))) {
      sessions.push(d);
    }
  }
  const cal = historyCalendar('2330.TW', sessions);

  it('trades exactly on the sessions inside the history', () => {
    expect(cal.isTradingDay('2019-10-10')).toBe(false);
    expect(cal.isTradingDay('2019-10-11')).toBe(true);
    expect(cal.isTradingDay('2020-06-27')).toBe(false);
  });

  it('skips recurring fixed-date closures after the history, and is what calendarFor uses for .TW', () => {
    expect(cal.isTradingDay('2020-10-09')).toBe(true);
    expect(cal.isTradingDay('2022-10-10')).toBe(false);
    expect(cal.isTradingDay('2022-10-11')).toBe(true);
    expect(cal.isTradingDay('2021-01-01')).toBe(false);
    expect(calendarFor('2330.TW', sessions).isTradingDay('2021-03-01')).toBe(true);
    expect(tradingDayAfter(calendarFor('2330.TW', sessions), '2022-10-07', 1)).toBe('2022-10-11');
    expect(calendarFor('AAPL', sessions)).toBe(nyseCalendar);
  });
});
