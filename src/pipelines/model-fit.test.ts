import { describe, expect, it } from 'vitest';
import { InsufficientHistoryError } from '../core/index.js';
import { randomWalkBars } from '../core/testing/index.js';
import { compareModels } from './evaluate.js';
import { barsNeeded, fitAndEvaluate } from './model-fit.js';

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

describe('compareModels', () => {
  it('runs every model on the same folds and reports naive beside each', () => {
    const c = compareModels('T', randomWalkBars(600, 5), {
      ticker: 'T',
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
