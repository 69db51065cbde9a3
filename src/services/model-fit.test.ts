import { describe, expect, it } from 'vitest';
import { InsufficientHistoryError } from '../core/index.js';
import { randomWalkBars, sym } from '../core/testing/index.js';
import { compareModels } from './evaluate.js';
import {
  barsNeeded,
  combineShares,
  fitAndEvaluate,
  fitShare,
  outcomeOfShares,
  planShares,
} from './model-fit.js';

describe('fitAndEvaluate', () => {
  it('states the minimum history per horizon and refuses below it, naming the bars needed', () => {
    expect([1, 5, 20].map((horizon) => barsNeeded({ horizon }))).toEqual([132, 140, 170]);
    const bars = randomWalkBars(131, 2);
    expect(() => fitAndEvaluate('SHORT', bars, { model: 'ridge', horizon: 1 })).toThrow(
      InsufficientHistoryError,
    );
    expect(() => fitAndEvaluate('SHORT', bars, { model: 'ridge', horizon: 1 })).toThrow(
      /SHORT.*131 usable rows; at least 132/,
    );
  });

  it('shrinks the walk-forward to what a short history allows, just above the minimum', () => {
    const out = fitAndEvaluate('SHORT', randomWalkBars(132, 2), { model: 'gbdt', horizon: 1 });
    expect(out.report.folds.length).toBeGreaterThan(0);
    expect(out.modelJson.featureSet).toBe('alpha@1');
    expect(out.report.options.initialTrain).toBeLessThan(1000);
  });
});

describe('fit shares', () => {
  it('plans the largest fits first, each to the least loaded share', () => {
    expect(planShares([1000, 1250, 1500, 1750, 2000], 2)).toEqual([0, 0, 1, 1, 0]);
    expect(planShares([5, 5, 5], 1)).toEqual([0, 0, 0]);
    expect(planShares([3], 4)).toEqual([0]);
  });

  it('puts shares together into the very fit one thread makes, whatever the number of shares', () => {
    const bars = randomWalkBars(900, 3);
    const s = {
      model: 'ridge',
      horizon: 5,
      walkForward: { initialTrain: 300, step: 100 },
    } as const;
    const whole = fitAndEvaluate('RW', bars, s);
    for (const of of [2, 3, 7]) {
      const shares = Array.from({ length: of }, (_, index) =>
        fitShare('RW', bars, s, { share: { index, of }, final: true }),
      );
      expect(shares.filter((r) => r.final)).toHaveLength(1);
      expect(shares.reduce((n, r) => n + r.folds.length, 0)).toBe(whole.report.folds.length);
      const out = outcomeOfShares('RW', s, shares);
      expect(out.report).toEqual(whole.report);
      expect(out.modelJson).toEqual(whole.modelJson);
    }
    const missing = [0, 1].map((index) =>
      fitShare('RW', bars, s, { share: { index, of: 2 }, final: false }),
    );
    expect(() => combineShares('RW', s, missing.slice(0, 1))).toThrow(/no predictions for fold/);
  });
});

describe('compareModels', () => {
  it('runs every model on the same folds and reports naive beside each', () => {
    const c = compareModels('T', randomWalkBars(600, 5), {
      ticker: sym('T'),
      horizon: 5,
      models: ['naive', 'drift', 'ridge'],
    });
    expect(c.models.map((m) => m.model)).toEqual(['naive', 'drift', 'ridge']);
    expect(new Set(c.models.map((m) => m.rmseNaive)).size).toBe(1);
    expect(c.models[0]?.skill).toBe(0);
    expect(c.walkForward.purge).toBe(5);
    for (const m of c.models) {
      expect(Object.keys(m.coverage)).toEqual(['80', '95']);
    }
  });
});
