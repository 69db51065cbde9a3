// Unit tests of the chart data helpers: bar cleaning, the forecast path, the band and the visible window.
import type { UTCTimestamp } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import {
  chartInterval,
  cleanBars,
  forecastPath,
  intervalAt,
  pathSeries,
  timeToDay,
  visibleWindow,
} from './chart-data';

const bar = (date: string, close = 1) => ({ date, close });

describe('cleanBars', () => {
  it('sorts bars by date and keeps the last of a repeated date', () => {
    const out = cleanBars([bar('2020-01-03', 3), bar('2020-01-01', 1), bar('2020-01-03', 4)]);
    expect(out).toEqual([bar('2020-01-01', 1), bar('2020-01-03', 4)]);
  });
});

describe('forecastPath', () => {
  const p = { asOf: '2020-04-17', targetDate: '2020-04-21', lastClose: 100 };

  it('runs from the last close to the value through the weekdays between', () => {
    // Friday -> Tuesday: the weekend is skipped, Monday is the one day between.
    expect(forecastPath(p, 103)).toEqual([
      { time: '2020-04-17', value: 100 },
      { time: '2020-04-20', value: 101.5 },
      { time: '2020-04-21', value: 103 },
    ]);
  });

  it('is empty when the target date is not after the last bar', () => {
    expect(forecastPath({ ...p, targetDate: '2020-04-17' }, 103)).toEqual([]);
  });

  it('stops after a bounded number of days for a bogus far-future date', () => {
    expect(forecastPath({ ...p, targetDate: '2999-01-01' }, 1).length).toBeLessThan(400);
  });
});

describe('pathSeries', () => {
  const day = (date: string, close: number, w80: number, w95: number) => ({
    day: 0,
    date,
    predictedReturn: 0,
    predictedClose: close,
    interval: [
      { level: 0.95, lower: close - w95, upper: close + w95 },
      { level: 0.8, lower: close - w80, upper: close + w80 },
    ],
    source: 'model' as const,
  });

  it('starts the line and every band at the last close and runs through each day, narrow band first', () => {
    const s = pathSeries({
      asOf: '2020-04-17',
      lastClose: 100,
      path: [day('2020-04-20', 101, 1, 2), day('2020-04-21', 102, 2, 4)],
    });
    expect(s.line).toEqual([
      { time: '2020-04-17', value: 100 },
      { time: '2020-04-20', value: 101 },
      { time: '2020-04-21', value: 102 },
    ]);
    expect(s.bands.map((b) => b.level)).toEqual([0.8, 0.95]);
    expect(s.bands[1]?.points).toEqual([
      { time: '2020-04-17', lower: 100, upper: 100 },
      { time: '2020-04-20', lower: 99, upper: 103 },
      { time: '2020-04-21', lower: 98, upper: 106 },
    ]);
  });

  it('draws nothing for a path that does not go past the last close', () => {
    expect(pathSeries({ asOf: '2020-04-17', lastClose: 100, path: [] })).toEqual({
      line: [],
      bands: [],
    });
    expect(intervalAt([{ level: 0.8000000001, lower: 1, upper: 2 }], 0.8)).toBeDefined();
  });
});

describe('chartInterval', () => {
  const i80 = { level: 0.8, lower: 1, upper: 2 };
  const i95 = { level: 0.95, lower: 0, upper: 3 };

  it('draws the 80% band when there is one, else the first', () => {
    expect(chartInterval([i95, i80])).toBe(i80);
    expect(chartInterval([i95])).toBe(i95);
    expect(chartInterval([])).toBeUndefined();
  });
});

describe('visibleWindow', () => {
  const bars = ['2019-10-01', '2019-11-01', '2020-01-02', '2020-03-02', '2020-04-01'].map((d) =>
    bar(d),
  );

  it('starts at the first bar inside the range and leaves a margin past the forecast', () => {
    const forecast = [
      { time: '2020-04-01', value: 1 },
      { time: '2020-04-02', value: 1 },
    ];
    expect(visibleWindow('1M', bars, forecast)).toEqual({ from: 3, to: 5 + 3 });
    expect(visibleWindow('All', bars, [])).toEqual({ from: 0, to: 4 + 3 });
  });

  it('has nothing to show without bars', () => {
    expect(visibleWindow('6M', [], [])).toBeUndefined();
  });
});

describe('timeToDay', () => {
  it('accepts the three forms lightweight-charts uses for a time', () => {
    expect(timeToDay('2020-04-17')).toBe('2020-04-17');
    expect(timeToDay((Date.UTC(2020, 3, 17) / 1000) as UTCTimestamp)).toBe('2020-04-17');
    expect(timeToDay({ year: 2020, month: 4, day: 7 })).toBe('2020-04-07');
  });
});
