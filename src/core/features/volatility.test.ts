// The volatility forecast that scales conformal scores: known at each close, a fixed window, mean-reverting with the horizon.
import { describe, expect, it } from 'vitest';
import { toSeries } from '../data/index.js';
import { randomWalkBars } from '../testing/index.js';
import { alphaFeatureSet } from './alpha-set.js';
import { buildDataset } from './dataset.js';
import {
  LONG_RUN_RETURNS,
  persistenceWeight,
  VOLATILITY_DECAY,
  VOLATILITY_RETURNS,
  VOLATILITY_WINDOW,
  volatilityForecast,
} from './volatility.js';

const closes = (n: number, seed: number, vol = 0.01) =>
  Float64Array.from(randomWalkBars(n, seed, '2010-01-04', vol), (b) => b.adjClose);

describe('volatilityForecast', () => {
  it('reads nothing after the row: changing later closes changes no earlier value', () => {
    const x = closes(600, 3);
    const base = volatilityForecast(x, 5);
    const changed = Float64Array.from(x, (v, i) => (i > 400 ? v * (1 + 0.1 * (i % 3)) : v));
    const after = volatilityForecast(changed, 5);
    expect(Array.from(after.subarray(0, 401))).toEqual(Array.from(base.subarray(0, 401)));
    expect(after[402]).not.toBe(base[402]);
  });

  it('gives the same bits from the last 251 bars as from the whole history, as serving reads them', () => {
    const x = closes(900, 4);
    const whole = volatilityForecast(x, 20);
    for (const t of [VOLATILITY_WINDOW - 1, 500, 899]) {
      const tail = x.subarray(t - VOLATILITY_WINDOW + 1, t + 1);
      expect(volatilityForecast(tail, 20, tail.length - 1)[tail.length - 1]).toBe(whole[t]);
    }
  });

  it('is the RiskMetrics EWMA at h = 1 and reverts toward the one-year level at longer horizons', () => {
    const calm = closes(400, 5, 0.005);
    const wild = closes(100, 6, 0.03);
    // A calm year, then a turbulent stretch: today's volatility is above its long-run level.
    const x = Float64Array.from([...calm, ...wild.map((v) => (v * (calm.at(-1) ?? 1)) / 100)]);
    const t = x.length - 1;
    const r2 = (i: number) => Math.log((x[i] ?? 0) / (x[i - 1] ?? 1)) ** 2;
    let num = 0;
    let den = 0;
    for (let k = 0; k < VOLATILITY_RETURNS; k++) {
      num += VOLATILITY_DECAY ** k * r2(t - k);
      den += VOLATILITY_DECAY ** k;
    }
    let long = 0;
    for (let k = 0; k < LONG_RUN_RETURNS; k++) {
      long += r2(t - k) / LONG_RUN_RETURNS;
    }
    expect(volatilityForecast(x, 1)[t]).toBeCloseTo(Math.sqrt(num / den), 12);
    const s20 = volatilityForecast(x, 20)[t] ?? 0;
    expect(s20).toBeCloseTo(Math.sqrt(long + persistenceWeight(20) * (num / den - long)), 12);
    expect(s20).toBeLessThan(Math.sqrt(num / den));
    expect(s20).toBeGreaterThan(Math.sqrt(long));
    expect(persistenceWeight(1)).toBe(1);
    expect(persistenceWeight(5)).toBeGreaterThan(persistenceWeight(20));
  });

  it('is carried by every labeled row and the live row of a dataset, and is never read by models', () => {
    const bars = randomWalkBars(400, 7);
    const built = buildDataset(toSeries('T', bars), alphaFeatureSet, 5);
    const expected = volatilityForecast(
      Float64Array.from(bars, (b) => b.adjClose),
      5,
    );
    expect(built.labeled.volatility?.length).toBe(built.labeled.nRows);
    expect(built.labeled.volatility?.[0]).toBe(expected[alphaFeatureSet.lookback]);
    expect(built.latest.volatility?.[0]).toBe(expected[bars.length - 1]);
    expect(built.labeled.featureNames).not.toContain('volatility');
  });
});
