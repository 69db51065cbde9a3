import { describe, expect, it } from 'vitest';
import { toSeries } from '../data/index.js';
import { randomWalkBars } from '../testing/index.js';
import { buildDataset, computeFeatureColumns } from './dataset.js';
import { basicFeatureSet } from './feature-set.js';
import { getFeatureSet } from './feature-sets.js';
import {
  newColumn,
  rollingMean,
  rollingMeanStdValid,
  rollingQuantiles,
  rollingStd,
  rsiWilder,
} from './rolling.js';

describe('rolling primitives', () => {
  it('match direct computation on a small series', () => {
    const x = Float64Array.from([1, 2, 4, 8, 16]);
    expect(Array.from(rollingMean(x, 3)).slice(2)).toEqual([7 / 3, 14 / 3, 28 / 3]);
    const sd = rollingStd(x, 3)[4] ?? 0;
    const m = 28 / 3;
    expect(sd).toBeCloseTo(Math.sqrt(((4 - m) ** 2 + (8 - m) ** 2 + (16 - m) ** 2) / 2), 12);
    expect(Number.isNaN(rollingMean(x, 3)[1] ?? 0)).toBe(true);
  });

  it('hand out short columns that start filled, never share values, and outlive later ones', () => {
    const kept = newColumn(61, Number.NaN);
    expect(kept.every((v) => Number.isNaN(v))).toBe(true);
    kept.fill(7);
    // Enough later columns to use up several shared chunks, each written all over.
    for (let k = 0; k < 2000; k++) {
      const c = newColumn(61 + (k % 7));
      expect(c.every((v) => v === 0)).toBe(true);
      c.fill(-1);
    }
    expect(kept.every((v) => v === 7)).toBe(true);
    const long = newColumn(5000, 2);
    expect(long.length).toBe(5000);
    expect(long.every((v) => v === 2)).toBe(true);
  });

  it('give the quantiles of a brute-force sort of each window, with ties, signed zeros and NaN runs', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const pool = [-0, 0, 1, 1, -1, 2.5, Number.NaN];
    const x = Float64Array.from({ length: 400 }, (_, i) =>
      i > 150 && i < 160
        ? Number.NaN
        : rand() < 0.5
          ? (pool[Math.floor(rand() * 6)] ?? 0)
          : rand() - 0.5,
    );
    const qs = [0, 0.2, 0.5, 0.8, 1];
    for (const w of [1, 2, 5, 20]) {
      for (const from of [0, 37, 399]) {
        const got = rollingQuantiles(x, w, qs, from);
        for (let i = Math.max(from, w - 1); i < x.length; i++) {
          const win = x.slice(i - w + 1, i + 1).sort();
          qs.forEach((q, k) => {
            const pos = q * (w - 1);
            const a = win[Math.floor(pos)] ?? Number.NaN;
            const b = win[Math.ceil(pos)] ?? Number.NaN;
            const want = win.some(Number.isNaN)
              ? Number.NaN
              : a + (b - a) * (pos - Math.floor(pos));
            const v = got[k]?.[i] ?? -99;
            expect(v === want || (Number.isNaN(v) && Number.isNaN(want))).toBe(true);
          });
        }
      }
    }
  });

  it('give the mean and std of the finite values of each window, wherever the window starts', () => {
    const x = Float64Array.from({ length: 300 }, (_, i) =>
      i % 37 < 3 || (i > 200 && i < 230) ? Number.NaN : Math.sin(i * 1.7) * 3 + 10,
    );
    for (const w of [5, 20, 60]) {
      const minValid = Math.ceil(w / 2);
      for (const from of [0, 45, 299]) {
        const { mean, std } = rollingMeanStdValid(x, w, minValid, from);
        for (let i = from; i < x.length; i++) {
          const win = Array.from(x.slice(Math.max(0, i - w + 1), i + 1)).filter(Number.isFinite);
          const m = win.reduce((a, b) => a + b, 0) / win.length;
          const sd = Math.sqrt(win.reduce((a, b) => a + (b - m) ** 2, 0) / (win.length - 1));
          const wantMean = win.length >= minValid ? m : Number.NaN;
          const wantStd = win.length >= minValid && win.length >= 2 ? sd : Number.NaN;
          for (const [got, want] of [
            [mean[i] ?? -1, wantMean],
            [std[i] ?? -1, wantStd],
          ] as const) {
            expect(
              Number.isNaN(want)
                ? Number.isNaN(got)
                : Math.abs(got - want) <= 1e-12 * Math.abs(want),
            ).toBe(true);
          }
        }
      }
    }
  });

  it("give Wilder's RSI of 100 for a rising series and 50 for a flat one", () => {
    const up = Float64Array.from({ length: 30 }, (_, i) => 100 + i);
    expect(rsiWilder(up, 14)[29]).toBe(100);
    expect(rsiWilder(new Float64Array(30).fill(5), 14)[29]).toBe(50);
  });
});

describe('basicFeatureSet', () => {
  const bars = randomWalkBars(300, 7);

  it('has no look-ahead: a row is identical whether or not later bars exist', () => {
    const full = computeFeatureColumns(toSeries('T', bars), basicFeatureSet);
    for (const cut of [40, 120, 250]) {
      const part = computeFeatureColumns(toSeries('T', bars.slice(0, cut)), basicFeatureSet);
      full.forEach((col, c) => {
        expect(part[c]?.[cut - 1]).toBe(col[cut - 1]);
      });
    }
  });

  it('is defined for every row after the declared look-back', () => {
    const cols = computeFeatureColumns(toSeries('T', bars), basicFeatureSet);
    for (const col of cols) {
      for (let t = basicFeatureSet.lookback; t < bars.length; t++) {
        expect(Number.isFinite(col[t])).toBe(true);
      }
    }
  });

  it('never yields NaN or Infinity when volume is missing or zero', () => {
    const noVolume = bars.map((b, i) => ({ ...b, volume: i % 3 === 0 ? null : 0 }));
    const built = buildDataset(toSeries('T', noVolume), basicFeatureSet, 1);
    expect(built.labeled.X.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('buildDataset', () => {
  it('labels row t with the log return from t to t+h and stops h rows before the end', () => {
    const bars = randomWalkBars(100, 3);
    const h = 5;
    const built = buildDataset(toSeries('T', bars), basicFeatureSet, h);
    expect(built.labeled.nRows).toBe(100 - basicFeatureSet.lookback - h);
    const t = basicFeatureSet.lookback;
    expect(built.labeled.y?.[0]).toBeCloseTo(
      Math.log((bars[t + h]?.adjClose ?? 0) / (bars[t]?.adjClose ?? 1)),
      14,
    );
    expect(built.labeled.labelDates?.[0]).toBe(bars[t + h]?.date);
    expect(built.latestDate).toBe(bars[99]?.date);
  });
});

describe('getFeatureSet', () => {
  it('refuses an unknown set with UNKNOWN_FEATURE_SET, listing the known ones', () => {
    expect(() => getFeatureSet('nope@1')).toThrow(
      expect.objectContaining({
        code: 'UNKNOWN_FEATURE_SET',
        message: 'Unknown feature set "nope@1": expected one of basic@1, alpha@1.',
      }) as Error,
    );
    expect(getFeatureSet('alpha').lookback).toBe(getFeatureSet('alpha@1').lookback);
  });
});
