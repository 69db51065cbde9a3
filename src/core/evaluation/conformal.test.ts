// Conformal intervals: the clamp of adaptive conformal inference, volatility-scaled scores, coverage by volatility third, older files.
import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../testing/index.js';
import {
  AdaptiveConformal,
  alphaBounds,
  conformalWalk,
  intervalMetrics,
  volatilityThirds,
  type ConformalMethod,
  type ConformalRow,
  type ConformalState,
} from './conformal.js';

/** Coverage per level of the rows in [from, to) that had intervals. */
function coverage(
  rows: readonly ConformalRow[],
  issued: (number[] | null)[],
  from: number,
  to: number,
) {
  return intervalMetrics([0.8, 0.95], rows.slice(from, to), issued.slice(from, to)).map(
    (m) => m.coverage,
  );
}

describe('AdaptiveConformal clamp', () => {
  it('keeps the working level inside its bounds and the half-width finite through a long run of misses, and recovers after it', () => {
    for (const method of ['absolute', 'volatility'] as const) {
      const aci = AdaptiveConformal.create({ method });
      const rand = seededRandom(5);
      const sigma = 0.01;
      let date = 0;
      const step = (residual: number) => {
        aci.update(residual, aci.halfWidths(sigma), String(date++), sigma);
      };
      for (let i = 0; i < 300; i++) {
        step(sigma * gaussian(rand));
      }
      const calm = aci.halfWidths(sigma) ?? [];
      // 2000 misses in a row, each larger than every score before it: unclamped, alpha_t would end
      // near 0.05 - 2000 * 0.005 = -10 and ask for an infinite interval.
      for (let i = 0; i < 2000; i++) {
        step(sigma * 100 * (i + 1));
        aci.alphas.forEach((a, k) => {
          const [lo, hi] = alphaBounds(aci.levels[k] ?? 0);
          expect(a).toBeGreaterThanOrEqual(lo);
          expect(a).toBeLessThanOrEqual(hi);
        });
        for (const w of aci.halfWidths(sigma) ?? [Number.NaN]) {
          expect(Number.isFinite(w)).toBe(true);
        }
      }
      expect(aci.alphas[0]).toBeCloseTo(0.05, 12);
      expect(aci.alphas[1]).toBeCloseTo(0.0125, 12);
      // The misses stop: the window refills with ordinary scores and the width comes back.
      for (let i = 0; i < 1500; i++) {
        step(sigma * gaussian(rand));
      }
      const after = aci.halfWidths(sigma) ?? [];
      after.forEach((w, k) => {
        expect(w).toBeLessThan(2 * (calm[k] ?? 0));
      });
    }
  });

  it('cannot shrink an interval below its bound through a long run of hits either', () => {
    const aci = AdaptiveConformal.create({ method: 'absolute' });
    for (let i = 0; i < 5000; i++) {
      aci.update(0, [1, 1], String(i));
    }
    const [[lo80, hi80], [lo95, hi95]] = [alphaBounds(0.8), alphaBounds(0.95)];
    expect(aci.alphas).toEqual([hi80, hi95]);
    [lo80, hi80, lo95, hi95].forEach((b, i) => {
      expect(b).toBeCloseTo([0.05, 0.5, 0.0125, 0.2][i] ?? 0, 12);
    });
  });

  it('clamps the working level of a file written before the clamp when it is read', () => {
    const old: ConformalState = {
      levels: [0.8, 0.95],
      alphaT: [0.2, -1.3],
      gamma: 0.005,
      window: 500,
      minScores: 2,
      scores: [0.01, 0.02, 0.03, 0.04],
      lastDate: '2020-04-16',
      updates: 4,
    };
    const aci = AdaptiveConformal.fromJSON(old);
    expect(aci.method).toBe('absolute');
    expect(aci.alphas[0]).toBeCloseTo(0.2, 12);
    expect(aci.alphas[1]).toBeCloseTo(0.0125, 12);
    // Absolute scores: the volatility passed in changes nothing.
    expect(aci.halfWidths(0.5)).toEqual(aci.halfWidths());
    expect(aci.toJSON()).toMatchObject({ method: 'absolute', horizon: 1 });
  });
});

describe('AdaptiveConformal.copy', () => {
  it('walks on exactly as the calibrator read back from its JSON does, and leaves the original as it was', () => {
    const aci = AdaptiveConformal.create({ method: 'volatility', window: 200 });
    const rand = seededRandom(11);
    const sigma = 0.01;
    for (let i = 0; i < 250; i++) {
      aci.update(sigma * gaussian(rand), aci.halfWidths(sigma), String(i), sigma);
    }
    const before = JSON.stringify(aci.toJSON());
    const copy = aci.copy();
    const read = AdaptiveConformal.fromJSON(aci.toJSON());
    // Past the window: every update also drops the oldest score from the sorted copy.
    for (let i = 0; i < 100; i++) {
      const r = sigma * gaussian(rand) * (i % 7 === 0 ? 5 : 1);
      copy.update(r, copy.halfWidths(sigma), `n${i}`, sigma);
      read.update(r, read.halfWidths(sigma), `n${i}`, sigma);
      expect(copy.halfWidths(sigma)).toEqual(read.halfWidths(sigma));
    }
    expect(copy.toJSON()).toEqual(read.toJSON());
    expect(JSON.stringify(aci.toJSON())).toBe(before);
  });
});

describe('volatility-scaled scores', () => {
  /** Daily returns whose volatility doubles halfway, with the volatility a forecaster would know. */
  function doubling(n: number, seed: number): ConformalRow[] {
    const rand = seededRandom(seed);
    return Array.from({ length: n }, (_, i) => {
      const sigma = i < n / 2 ? 0.01 : 0.02;
      return { date: String(100000 + i), predicted: 0, actual: sigma * gaussian(rand), sigma };
    });
  }

  it('calibrated on both regimes, keep coverage in the calm and the turbulent half, where absolute scores over-cover one and under-cover the other', () => {
    const calibration = doubling(4000, 1);
    const test = doubling(4000, 2);
    const frozen = (method: ConformalMethod) => {
      // gamma 0 and a window holding every score: plain split conformal, so only the scores differ.
      const aci = AdaptiveConformal.create({ method, gamma: 0, window: 10_000 });
      conformalWalk(aci, calibration, 1);
      return test.map((r) => aci.halfWidths(r.sigma));
    };
    const scaled = frozen('volatility');
    for (const [from, to] of [
      [0, 2000],
      [2000, 4000],
    ] as const) {
      const [c80, c95] = coverage(test, scaled, from, to);
      expect(Math.abs((c80 ?? 0) - 0.8)).toBeLessThan(0.03);
      expect(Math.abs((c95 ?? 0) - 0.95)).toBeLessThan(0.015);
    }
    const absolute = frozen('absolute');
    const [calm80, calm95] = coverage(test, absolute, 0, 2000);
    const [wild80, wild95] = coverage(test, absolute, 2000, 4000);
    expect(calm80).toBeGreaterThan(0.9);
    expect(calm95).toBeGreaterThan(0.99);
    expect(wild80).toBeLessThan(0.72);
    expect(wild95).toBeLessThan(0.93);
  });

  it('walked online, cover close to nominal in both halves, with intervals twice as wide in the turbulent one', () => {
    const rows = doubling(4000, 3);
    const issued = conformalWalk(AdaptiveConformal.create(), rows, 1);
    for (const [from, to] of [
      [100, 2000],
      [2000, 4000],
    ] as const) {
      const [c80, c95] = coverage(rows, issued, from, to);
      expect(Math.abs((c80 ?? 0) - 0.8)).toBeLessThan(0.03);
      expect(Math.abs((c95 ?? 0) - 0.95)).toBeLessThan(0.02);
    }
    const w = (i: number) => issued[i]?.[0] ?? 0;
    expect(w(3999) / w(1999)).toBeGreaterThan(1.8);
    expect(w(3999) / w(1999)).toBeLessThan(2.2);
  });

  it('scale by sigma * sqrt(h), and issue no interval while the volatility is unknown', () => {
    const a1 = AdaptiveConformal.create({ minScores: 3 }, 1);
    const a20 = AdaptiveConformal.create({ minScores: 3 }, 20);
    for (const [i, r] of [0.01, -0.02, 0.015, 0.005].entries()) {
      a1.update(r, null, String(i), 0.01);
      a20.update(r * Math.sqrt(20), null, String(i), 0.01);
    }
    expect(a1.quantiles()).toEqual(a20.quantiles());
    expect(a20.halfWidths(0.01)?.[0]).toBeCloseTo((a1.halfWidths(0.01)?.[0] ?? 0) * Math.sqrt(20));
    expect(a1.halfWidths(Number.NaN)).toBeNull();
    expect(a1.halfWidths(0)).toBeNull();
    expect(a1.toJSON()).toMatchObject({ method: 'volatility', horizon: 1 });
    expect(a20.toJSON().horizon).toBe(20);
  });
});

describe('volatilityThirds', () => {
  it('sorts the rows that had intervals by volatility, cuts them into thirds and scores each', () => {
    // Nine rows with intervals (one without): sigma 1..9 shuffled; hw 0.5; misses where |actual| > 0.5.
    const sigmas = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10];
    const rows: ConformalRow[] = sigmas.map((sigma, i) => ({
      date: String(i),
      predicted: 0,
      // Misses at sigma 1 (low), 4 and 6 (mid), 7, 8, 9 (high).
      actual: [1, 4, 6, 7, 8, 9].includes(sigma) ? 0.9 : 0.1,
      sigma: sigma / 100,
    }));
    const issued = rows.map((_, i) => (i === 9 ? null : [0.5, 0.5]));
    const t = volatilityThirds([0.8, 0.95], rows, issued);
    expect([t.low.n, t.mid.n, t.high.n]).toEqual([3, 3, 3]);
    expect([t.low.sigmaFrom, t.low.sigmaTo, t.high.sigmaTo]).toEqual([0.01, 0.03, 0.09]);
    expect(t.low.intervals.map((m) => m.coverage)).toEqual([2 / 3, 2 / 3]);
    expect(t.mid.intervals.map((m) => m.coverage)).toEqual([1 / 3, 1 / 3]);
    expect(t.high.intervals.map((m) => m.coverage)).toEqual([0, 0]);
  });

  it('scores an interval by its width plus 2 / alpha times the miss, as a fraction of price', () => {
    const rows: ConformalRow[] = [
      { date: 'a', predicted: 0, actual: 0 },
      { date: 'b', predicted: 0, actual: 0.2 },
    ];
    const [m80] = intervalMetrics([0.8], rows, [[0.1], [0.1]]);
    const width = Math.exp(0.1) - Math.exp(-0.1);
    const miss = Math.exp(0.2) - Math.exp(0.1);
    expect(m80?.widthFraction).toBeCloseTo(width, 12);
    expect(m80?.intervalScore).toBeCloseTo(width + (2 / 0.2) * miss * 0.5, 12);
    expect(m80?.coverage).toBe(0.5);
  });
});
