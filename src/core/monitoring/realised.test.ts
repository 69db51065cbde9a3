import { describe, expect, it } from 'vitest';
import { coverageKey, realisedAccuracy, type MaturedForecast } from './realised.js';

const f = (
  targetDate: string,
  predictedReturn: number,
  actualReturn: number,
  held: boolean[] = [],
): MaturedForecast => ({
  asOf: targetDate,
  targetDate,
  predictedReturn,
  actualReturn,
  intervals: held.map((h, i) => ({ level: [0.8, 0.95][i] ?? 0.5, held: h })),
});

describe('realisedAccuracy', () => {
  it('is null before anything matured', () => {
    expect(realisedAccuracy([])).toBeNull();
  });

  it('scores RMSE against naive on the same dates, skill, direction beside the up-rate, coverage per level', () => {
    const a = realisedAccuracy([
      f('2020-01-03', 0.01, 0.02, [true, true]),
      f('2020-01-02', -0.01, 0.01, [false, true]),
      f('2020-01-06', 0.02, -0.02, [true]),
      f('2020-01-07', 0, -0.01),
    ]);
    const rmse = Math.sqrt((0.01 ** 2 + 0.02 ** 2 + 0.04 ** 2 + 0.01 ** 2) / 4);
    const rmseNaive = Math.sqrt((0.02 ** 2 + 0.01 ** 2 + 0.02 ** 2 + 0.01 ** 2) / 4);
    expect(a).toMatchObject({ matured: 4, from: '2020-01-02', to: '2020-01-07' });
    expect(a?.rmse).toBeCloseTo(rmse, 15);
    expect(a?.rmseNaive).toBeCloseTo(rmseNaive, 15);
    expect(a?.skill).toBeCloseTo(1 - rmse / rmseNaive, 15);
    // Right sign on 01-03 and 01-07 (0 is not "up", nor is -0.01).
    expect(a?.directionAccuracy).toBe(0.5);
    expect(a?.upRate).toBe(0.5);
    // Each level over the forecasts that had it.
    expect(a?.coverage).toEqual({ '80': 2 / 3, '95': 1 });
  });

  it('keeps the newest `window` by target date', () => {
    const a = realisedAccuracy(
      [f('2020-01-02', 1, 0.5), f('2020-01-06', 0.01, 0.01), f('2020-01-03', 0.02, 0.01)],
      2,
    );
    expect(a).toMatchObject({ matured: 2, from: '2020-01-03', to: '2020-01-06' });
    expect(a?.rmse).toBeCloseTo(Math.sqrt(0.01 ** 2 / 2), 15);
  });

  it('never divides by a naive error of zero', () => {
    expect(realisedAccuracy([f('2020-01-02', 0, 0)])?.skill).toBe(0);
    expect(realisedAccuracy([f('2020-01-02', 0.01, 0)])?.skill).toBe(-1);
  });

  it('keys levels in percent', () => {
    expect([0.8, 0.95, 0.5, 0.975].map(coverageKey)).toEqual(['80', '95', '50', '97.5']);
  });
});
