import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek } from '../data/index.js';
import {
  calendarFor,
  historyCalendar,
  nyseCalendar,
  tradingDayAfter,
  twseHolidays,
  TWSE_RULE_YEARS,
} from './index.js';

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
    expect(cal.isTradingDay('2021-03-01')).toBe(true);
    expect(historyCalendar('0050.HK', sessions).isTradingDay('2022-10-10')).toBe(false);
    expect(calendarFor('0700.HK', sessions).name).toContain('from its history');
    expect(calendarFor('AAPL', sessions)).toBe(nyseCalendar);
  });
});

describe('TWSE calendar', () => {
  const weekdaysOff = (year: number) => [...(twseHolidays(year) ?? [])].sort();

  it('closes on exactly the weekdays of the exchange’s published 2019 and 2024 holiday schedules', () => {
    expect(weekdaysOff(2019)).toEqual([
      '2019-01-01',
      '2019-01-31',
      '2019-02-01',
      '2019-02-04',
      '2019-02-05',
      '2019-02-06',
      '2019-02-07',
      '2019-02-08',
      '2019-02-28',
      '2019-03-01',
      '2019-04-04',
      '2019-04-05',
      '2019-05-01',
      '2019-06-07',
      '2019-09-13',
      '2019-10-10',
      '2019-10-11',
    ]);
    expect(weekdaysOff(2024)).toEqual([
      '2024-01-01',
      '2024-02-06',
      '2024-02-07',
      '2024-02-08',
      '2024-02-09',
      '2024-02-12',
      '2024-02-13',
      '2024-02-14',
      '2024-02-28',
      '2024-04-04',
      '2024-04-05',
      '2024-05-01',
      '2024-06-10',
      '2024-09-17',
      '2024-10-10',
    ]);
  });

  it('forecasts .TW dates past the history by those rules: 2025 amendment holidays, Lunar New Year 2027', () => {
    const sessions = ['2026-11-20', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'];
    const tw = calendarFor('2330.TW', sessions);
    expect(tw.name).toBe('TWSE');
    expect(tw.isTradingDay('2026-11-21')).toBe(false);
    // Constitution Day (25 December) is a holiday again from 2025.
    expect(tradingDayAfter(tw, '2026-12-24', 1)).toBe('2026-12-28');
    expect(tradingDayAfter(tw, '2026-12-31', 1)).toBe('2027-01-04');
    // Lunar New Year 2027 falls on Saturday 6 February: closed from Tuesday 2nd (two settlement-only
    // days, the day before the eve, the eve) through the two days owed for the weekend.
    expect(tradingDayAfter(tw, '2027-01-29', 1)).toBe('2027-02-01');
    expect(tradingDayAfter(tw, '2027-02-01', 1)).toBe('2027-02-11');
    expect(twseHolidays(2031)).toBeNull();
    expect(TWSE_RULE_YEARS.to).toBeGreaterThanOrEqual(2030);
  });
});
