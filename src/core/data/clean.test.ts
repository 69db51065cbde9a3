import { describe, expect, it } from 'vitest';
import { cleanSeries, type CorporateAction, type RawBar } from './clean.js';
import { qualityChecks } from './quality.js';
import { adjustUnadjustedSplits } from './splits.js';
import { weekdayCalendar } from '../calendar/index.js';

const raw = (date: string, close: number, fetchedAt: string, volume = 100): RawBar => ({
  date,
  open: close,
  high: close * 1.01,
  low: close * 0.99,
  close,
  adjClose: close,
  volume,
  source: 'yahoo',
  fetchedAt,
});

const logReturns = (xs: number[]) => xs.slice(1).map((x, i) => Math.log(x / (xs[i] ?? x)));

describe('cleanSeries', () => {
  const split: CorporateAction = { kind: 'split', date: '2020-08-31', numerator: 4, denominator: 1 };

  it('keeps a 4:1 split from showing as a -75% return when the old bars were fetched before it', () => {
    const bars = [
      raw('2020-08-27', 500, '2020-08-28T12:00:00Z', 10),
      raw('2020-08-28', 499.2, '2020-08-28T23:00:00Z', 10),
      raw('2020-08-31', 129, '2020-09-01T12:00:00Z', 40),
    ];
    const clean = cleanSeries(bars, [split]);
    expect(clean.map((b) => b.close)).toEqual([125, 124.8, 129]);
    expect(clean.map((b) => b.volume)).toEqual([40, 40, 40]);
    expect(Math.max(...logReturns(clean.map((b) => b.adjClose)).map(Math.abs))).toBeLessThan(0.05);
    expect(qualityChecks('AAPL', clean, weekdayCalendar).find((c) => c.check === 'jumps')?.count).toBe(0);
  });

  it('leaves bars alone that the source had already split-adjusted when they were fetched', () => {
    const bars = [
      raw('2020-08-27', 125, '2020-09-02T12:00:00Z'),
      raw('2020-08-28', 124.8, '2020-09-02T12:00:00Z'),
      raw('2020-08-31', 129, '2020-09-02T12:00:00Z'),
    ];
    expect(cleanSeries(bars, [split]).map((b) => b.close)).toEqual([125, 124.8, 129]);
  });

  it('handles a mix: re-fetched overlap rows after the split, older rows from before', () => {
    const bars = [
      raw('2020-08-26', 506, '2020-08-27T12:00:00Z'),
      raw('2020-08-27', 125, '2020-09-02T12:00:00Z'),
      raw('2020-08-31', 129, '2020-09-02T12:00:00Z'),
    ];
    expect(cleanSeries(bars, [split]).map((b) => b.close)).toEqual([126.5, 125, 129]);
  });

  it('applies a dividend the source did not know yet to earlier adjusted closes (CRSP rule)', () => {
    const bars = [
      raw('2024-01-02', 100, '2024-01-02T22:00:00Z'),
      raw('2024-01-03', 100, '2024-01-03T22:00:00Z'),
      raw('2024-01-04', 99, '2024-01-05T00:00:00Z'),
    ];
    // Sources count a fetch on or after the ex-date as knowing the dividend.
    const div = { kind: 'dividend' as const, date: '2024-01-04', amount: 1, fetchedAt: '2024-01-05T00:00:00Z' };
    const clean = cleanSeries(bars, [div]);
    expect(clean.map((b) => b.adjClose)).toEqual([99, 99, 99]);
    expect(clean.map((b) => b.close)).toEqual([100, 100, 99]);
    // A bar fetched after the ex-date already carries the dividend in its adjclose: no second adjustment.
    const refetched = bars.map((b) => ({ ...b, fetchedAt: '2024-01-06T00:00:00Z', adjClose: b.date < '2024-01-04' ? b.close * 0.99 : b.close }));
    expect(cleanSeries(refetched, [div]).map((b) => b.adjClose)).toEqual([99, 99, 99]);
  });

  it('puts a dividend reported before a later split into the split basis', () => {
    const bars = [
      raw('2020-08-06', 400, '2020-08-06T22:00:00Z'),
      raw('2020-08-07', 396, '2020-08-08T00:00:00Z'),
      raw('2020-08-31', 100, '2020-09-01T00:00:00Z'),
    ];
    const clean = cleanSeries(bars, [
      { kind: 'dividend', date: '2020-08-07', amount: 0.8, fetchedAt: '2020-08-08T00:00:00Z' },
      { ...split, fetchedAt: '2020-09-01T00:00:00Z' },
    ]);
    expect(clean[0]?.close).toBe(100);
    expect(clean[0]?.adjClose).toBeCloseTo(100 * (1 - 0.2 / 100), 12);
  });

  it('is reproducible: the same raw bars and actions give the same series in any input order', () => {
    const bars = [raw('2020-08-28', 499.2, '2020-08-28T23:00:00Z'), raw('2020-08-27', 500, '2020-08-28T12:00:00Z')];
    expect(cleanSeries(bars, [split])).toEqual(cleanSeries([...bars].reverse(), [split]));
  });
});

describe('qualityChecks', () => {
  const bar = (date: string, close: number) => ({ date, open: close, high: close, low: close, close, adjClose: close, volume: 1 });

  it('counts trading days missing between bars, flags jumps over the threshold and inconsistent OHLC', () => {
    const bars = [
      bar('2024-01-01', 100),
      bar('2024-01-02', 100),
      bar('2024-01-05', 140),
      { ...bar('2024-01-08', 141), low: 150 },
    ];
    const checks = qualityChecks('X', bars, weekdayCalendar);
    expect(checks.map((c) => [c.check, c.status, c.count])).toEqual([
      ['gaps', 'warn', 2],
      ['jumps', 'warn', 1],
      ['ohlc', 'fail', 1],
      ['splits', 'pass', 0],
    ]);
    expect(checks[0]?.examples[0]).toBe('2 session(s) missing between 2024-01-02 and 2024-01-05');
  });

  it('passes a clean series', () => {
    const checks = qualityChecks('X', [bar('2024-01-05', 1), bar('2024-01-08', 1.01)], weekdayCalendar);
    expect(checks.every((c) => c.status === 'pass')).toBe(true);
  });
});

describe('adjustUnadjustedSplits', () => {
  const day = (date: string, close: number, adjClose: number) => ({
    date,
    open: close,
    high: close,
    low: close,
    close,
    adjClose,
    volume: 100,
  });

  it('puts the bars before a 4:1 split in post-split shares when only the adjusted close was continuous', () => {
    const r = adjustUnadjustedSplits([
      day('2024-01-02', 400, 100),
      day('2024-01-03', 404, 101),
      day('2024-01-04', 100, 100),
    ]);
    expect(r.splits).toEqual([{ date: '2024-01-04', numerator: 4, denominator: 1, adjustedBars: 2 }]);
    expect(r.bars.map((b) => b.close)).toEqual([100, 101, 100]);
    expect(r.bars[0]?.volume).toBe(400);
  });

  it('leaves a real crash alone: the adjusted close fell too', () => {
    const r = adjustUnadjustedSplits([day('2024-01-02', 100, 100), day('2024-01-03', 50, 50)]);
    expect(r.splits).toEqual([]);
    expect(r.bars.map((b) => b.close)).toEqual([100, 50]);
  });
});
