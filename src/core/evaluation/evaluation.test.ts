import { describe, expect, it } from 'vitest';
import { toSeries } from '../data/index.js';
import { InsufficientHistoryError } from '../errors/index.js';
import { alphaFeatureSet, basicFeatureSet, buildDataset } from '../features/index.js';
import { createModel, type Model, type ModelKind } from '../models/index.js';
import { gaussian, randomWalkBars, seededRandom } from '../testing/index.js';
import type { Bar } from '../data/index.js';
import { AdaptiveConformal, conformalWalk, type ConformalRow } from './conformal.js';
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

/** Bars after `date` replaced by a different random path: everything a leak could carry changes. */
function perturbAfter(bars: readonly Bar[], date: string, seed: number): Bar[] {
  const rand = seededRandom(seed);
  let factor = 1;
  return bars.map((b) => {
    if (b.date <= date) {
      return b;
    }
    factor *= Math.exp(0.03 * gaussian(rand));
    return {
      ...b,
      open: b.open * factor,
      high: b.high * factor * 1.01,
      low: b.low * factor * 0.99,
      close: b.close * factor,
      adjClose: b.adjClose * factor,
      volume: (b.volume ?? 1) * (1 + rand()),
    };
  });
}

const fastModel = (kind: ModelKind): Model =>
  createModel(kind, {
    gbdt: { maxIter: 15, grid: { maxLeafNodes: [4, 8] }, minSamplesLeaf: 10 },
    ridge: { alphas: [1, 100, 10000] },
  });

describe('walk-forward leakage', () => {
  it('fits every fold (imputer, scaler, tuned hyperparameters) identically when every bar after its last training label changes, for every splitter setting', () => {
    for (const horizon of [1, 5, 20]) {
      for (const embargo of [0, 3]) {
        for (const window of ['expanding', 'sliding'] as const) {
          const bars = randomWalkBars(560, 100 + horizon);
          const built = buildDataset(toSeries('T', bars), alphaFeatureSet, horizon);
          const opts = { initialTrain: 200, step: 80, purge: horizon, embargo, window };
          const folds = walkForwardSplits(built.labeled.nRows, opts);
          const cutFold = folds[1];
          expect(cutFold).toBeDefined();
          const cutoff = built.labeled.labelDates?.[(cutFold?.trainEnd ?? 0) - 1] ?? '';
          const built2 = buildDataset(
            toSeries('T', perturbAfter(bars, cutoff, horizon)),
            alphaFeatureSet,
            horizon,
          );
          const capture = (into: Model[]) => () => {
            const m = fastModel('ridge');
            into.push(m);
            return m;
          };
          const a: Model[] = [];
          const b: Model[] = [];
          evaluateWalkForward(built.labeled, capture(a), opts);
          evaluateWalkForward(built2.labeled, capture(b), opts);
          // Folds up to the cut see only rows whose labels end on or before the cutoff...
          for (const k of [0, 1]) {
            expect(JSON.stringify(b[k]?.toJSON())).toBe(JSON.stringify(a[k]?.toJSON()));
          }
          // ...and the test is able to fail: a later fold does see the changed bars.
          expect(JSON.stringify(b[folds.length - 1]?.toJSON())).not.toBe(
            JSON.stringify(a[folds.length - 1]?.toJSON()),
          );
        }
      }
    }
  });

  it('fits GBDT and ensemble folds identically too, including early stopping and their tuning', () => {
    for (const kind of ['gbdt', 'ensemble'] as const) {
      const bars = randomWalkBars(520, 77);
      const built = buildDataset(toSeries('T', bars), alphaFeatureSet, 5);
      const opts = {
        initialTrain: 200,
        step: 100,
        purge: 5,
        embargo: 2,
        window: 'sliding' as const,
      };
      const folds = walkForwardSplits(built.labeled.nRows, opts);
      const cutoff = built.labeled.labelDates?.[(folds[0]?.trainEnd ?? 0) - 1] ?? '';
      const built2 = buildDataset(toSeries('T', perturbAfter(bars, cutoff, 5)), alphaFeatureSet, 5);
      const runs = [built, built2].map((bd) => {
        const models: Model[] = [];
        const report = evaluateWalkForward(
          bd.labeled,
          () => {
            const m = fastModel(kind);
            models.push(m);
            return m;
          },
          opts,
        );
        return { models, report };
      });
      expect(JSON.stringify(runs[1]?.models[0]?.toJSON())).toBe(
        JSON.stringify(runs[0]?.models[0]?.toJSON()),
      );
      expect(runs[1]?.report.folds[0]?.trials).toEqual(runs[0]?.report.folds[0]?.trials);
      expect(runs[0]?.report.folds[0]?.trials.length).toBeGreaterThan(0);
    }
  });
});

describe('conformalWalk', () => {
  const rows = (n: number, seed: number): ConformalRow[] => {
    const rand = seededRandom(seed);
    return Array.from({ length: n }, (_, i) => ({
      date: String(10000 + i),
      predicted: 0.001 * gaussian(rand),
      actual: 0.01 * gaussian(rand),
      sigma: 0.01 * (1 + 0.5 * Math.sin(i / 40)),
    }));
  };

  it('issues each interval from outcomes known by then: changing later outcomes changes nothing before', () => {
    for (const h of [1, 5, 20]) {
      const base = rows(400, h);
      const first = conformalWalk(AdaptiveConformal.create({ minScores: 10 }), base, h);
      for (const i of [50, 151, 399]) {
        // Outcomes of rows > i - h are not known when row i is issued.
        const changed = base.map((r, j) => (j > i - h ? { ...r, actual: r.actual * 10 + 1 } : r));
        const second = conformalWalk(AdaptiveConformal.create({ minScores: 10 }), changed, h);
        expect(second.slice(0, i + 1)).toEqual(first.slice(0, i + 1));
      }
      // The walk does use outcomes h rows back (the check above could fail).
      const early = base.map((r, j) => (j === 100 - h ? { ...r, actual: 5 } : r));
      const third = conformalWalk(AdaptiveConformal.create({ minScores: 10 }), early, h);
      expect(third[100]).not.toEqual(first[100]);
    }
  });

  it('covers close to nominal on heavy-tailed, volatility-switching residuals, and adapts its width, even unscaled', () => {
    const rand = seededRandom(3);
    const data: ConformalRow[] = Array.from({ length: 6000 }, (_, i) => {
      const vol = Math.floor(i / 1000) % 2 === 0 ? 0.01 : 0.03;
      const t = gaussian(rand) / Math.sqrt(Math.max(0.2, rand() * 2));
      return { date: String(i), predicted: 0, actual: vol * t };
    });
    // Absolute scores: adaptive conformal inference alone has to follow the regimes.
    const aci = AdaptiveConformal.create({ method: 'absolute' });
    const issued = conformalWalk(aci, data, 1);
    for (const [k, level] of [0.8, 0.95].entries()) {
      let n = 0;
      let hit = 0;
      data.forEach((r, i) => {
        const hw = issued[i]?.[k];
        if (hw !== undefined) {
          n++;
          hit += Math.abs(r.actual) <= hw ? 1 : 0;
        }
      });
      expect(Math.abs(hit / n - level)).toBeLessThan(0.02);
    }
    expect(issued[1999]?.[0] ?? 0).toBeGreaterThan(2 * (issued[999]?.[0] ?? 1));
  });

  it('round-trips its state through JSON and continues identically', () => {
    const data = rows(300, 9);
    const a = AdaptiveConformal.create();
    conformalWalk(a, data.slice(0, 200), 1);
    const b = AdaptiveConformal.fromJSON(
      JSON.parse(JSON.stringify(a.toJSON())) as ReturnType<typeof a.toJSON>,
    );
    expect(conformalWalk(b, data.slice(200), 1)).toEqual(conformalWalk(a, data.slice(200), 1));
  });
});

describe('evaluateWalkForward reports', () => {
  it('reports per-fold and overall coverage and width for 80% and 95%, and the tuning trials', () => {
    const built = buildDataset(toSeries('T', randomWalkBars(1300, 31)), alphaFeatureSet, 1);
    const report = evaluateWalkForward(built.labeled, () => fastModel('ridge'), {
      purge: 1,
      initialTrain: 400,
      step: 200,
    });
    expect(report.intervals.map((i) => i.level)).toEqual([0.8, 0.95]);
    for (const iv of report.intervals) {
      expect(Math.abs(iv.coverage - iv.level)).toBeLessThan(0.05);
      expect(iv.meanWidth).toBeGreaterThan(0);
    }
    const [i80, i95] = report.intervals;
    expect(i95?.meanWidth ?? 0).toBeGreaterThan(i80?.meanWidth ?? 0);
    for (const f of report.folds) {
      expect(f.intervals).toHaveLength(2);
      expect(f.trials.map((t) => t.params.alpha)).toEqual([1, 100, 10000]);
      expect(f.metrics.n).toBe(f.testEnd - f.testStart);
    }
    expect(report.conformal.updates).toBe(report.overall.n);
    expect(report.conformal.lastDate).toBe(report.predictions.at(-1)?.date);
  });
});

describe('AdaptiveConformal.create', () => {
  it('refuses an interval level outside (0, 1) as an input error naming the field', () => {
    expect(() => AdaptiveConformal.create({ levels: [0.8, 1.2] })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: 'conformal.levels: expected levels in (0, 1), found 1.2',
      }) as Error,
    );
  });
});
