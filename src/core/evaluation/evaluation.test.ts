import { describe, expect, it } from 'vitest';
import { toSeries } from '../data/index.js';
import { InsufficientHistoryError } from '../errors/index.js';
import { basicFeatureSet, buildDataset } from '../features/index.js';
import { createModel } from '../models/index.js';
import { randomWalkBars } from '../testing/index.js';
import { evaluateWalkForward } from './evaluate.js';
import { forecastMetrics } from './metrics.js';
import { dieboldMariano, normalCdf } from './stats.js';
import { walkForwardSplits } from './walk-forward.js';

describe('walkForwardSplits', () => {
  const built = buildDataset(toSeries('T', randomWalkBars(900, 11)), basicFeatureSet, 5);
  const labelDates = built.labeled.labelDates ?? [];
  const dates = built.labeled.dates;

  it('never trains on a label whose date reaches into the test window, for every setting', () => {
    for (const horizon of [1, 5, 20]) {
      for (const embargo of [0, 3]) {
        for (const window of ['expanding', 'sliding'] as const) {
          for (const [initialTrain, step] of [
            [100, 50],
            [300, 250],
            [60, 1],
          ] as const) {
            const built2 = buildDataset(
              toSeries('T', randomWalkBars(700, horizon)),
              basicFeatureSet,
              horizon,
            );
            const folds = walkForwardSplits(built2.labeled.nRows, {
              initialTrain,
              step,
              purge: horizon,
              embargo,
              window,
            });
            expect(folds.length).toBeGreaterThan(0);
            for (const f of folds) {
              const lastTrainLabel = built2.labeled.labelDates?.[f.trainEnd - 1] ?? '';
              const firstTest = built2.labeled.dates[f.testStart] ?? '';
              expect(lastTrainLabel < firstTest).toBe(true);
              expect(f.trainEnd - f.trainStart).toBeGreaterThanOrEqual(50);
            }
          }
        }
      }
    }
  });

  it('tiles the test windows without overlap up to the last row', () => {
    const folds = walkForwardSplits(dates.length, { initialTrain: 200, step: 100, purge: 5 });
    for (let i = 1; i < folds.length; i++) {
      expect(folds[i]?.testStart).toBe(folds[i - 1]?.testEnd);
    }
    expect(folds[folds.length - 1]?.testEnd).toBe(dates.length);
    expect(labelDates.length).toBe(dates.length);
  });

  it('shrinks the first window for short histories and refuses below the minimum', () => {
    const folds = walkForwardSplits(150, { purge: 1 });
    expect(folds[0]?.trainEnd).toBeLessThan(150);
    expect(() => walkForwardSplits(60, { purge: 1 }, 'TINY')).toThrow(InsufficientHistoryError);
    expect(() => walkForwardSplits(60, { purge: 1 }, 'TINY')).toThrow(/at least 71/);
  });
});

describe('forecastMetrics', () => {
  it('gives naive a skill of 0 and a direction accuracy equal to the up-rate', () => {
    const actual = Float64Array.from([0.01, -0.02, 0.005, 0.003, -0.001]);
    const m = forecastMetrics(actual, new Float64Array(5), 1);
    expect(m.skill).toBe(0);
    expect(m.directionAccuracy).toBe(m.upRate);
    expect(m.upRate).toBeCloseTo(0.6, 12);
    expect(m.dmPValue).toBe(1);
  });

  it('computes MAPE on implied prices', () => {
    const m = forecastMetrics(Float64Array.from([Math.log(1.1)]), Float64Array.from([0]), 1);
    expect(m.mape).toBeCloseTo(0.1 / 1.1, 12);
  });
});

describe('dieboldMariano', () => {
  it('finds a clearly better forecast significant and equal ones not', () => {
    const n = 400;
    const actual = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const good = actual.map((v, i) => v + 0.01 * Math.cos(i * 7));
    const bad = actual.map((v, i) => v + 0.5 * Math.cos(i * 3));
    expect(dieboldMariano(actual, good, bad, 1)).toBeLessThan(0.001);
    expect(dieboldMariano(actual, good, good, 1)).toBe(1);
  });

  it('uses a normal CDF accurate to 1e-12 (reference: 0.5 * math.erfc(-x / sqrt(2)) in Python)', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 12);
    expect(normalCdf(-5)).toBeCloseTo(2.866515718791946e-7, 16);
  });
});

describe('evaluateWalkForward', () => {
  it('scores a random walk honestly: ridge has no real skill over naive', () => {
    const built = buildDataset(toSeries('T', randomWalkBars(1500, 5)), basicFeatureSet, 1);
    const report = evaluateWalkForward(built.labeled, () => createModel('ridge'), {
      purge: 1,
      initialTrain: 500,
      step: 250,
    });
    expect(report.folds.length).toBeGreaterThan(2);
    expect(Math.abs(report.overall.skill)).toBeLessThan(0.05);
    expect(report.overall.directionAccuracy).toBeLessThan(0.6);
    expect(report.predictions).toHaveLength(report.overall.n);
  });
});
