import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek } from '../data/index.js';
import { calendarFor, nyseCalendar, tradingDayAfter } from './index.js';

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
