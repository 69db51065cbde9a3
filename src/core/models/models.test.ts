import { describe, expect, it } from 'vitest';
import type { Dataset } from '../features/index.js';
import { gaussian, seededRandom } from '../testing/index.js';
import { createModel, modelFromJSON, NaiveModel, RidgeModel } from './index.js';

function linearData(n: number, coef: number[], noise: number, seed: number): Dataset {
  const rand = seededRandom(seed);
  const p = coef.length;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let v = 0.5;
    for (let c = 0; c < p; c++) {
      const x = gaussian(rand);
      X[r * p + c] = x;
      v += x * (coef[c] ?? 0);
    }
    y[r] = v + noise * gaussian(rand);
  }
  return {
    featureNames: coef.map((_, i) => `f${i}`),
    dates: Array.from({ length: n }, (_, i) => String(i)),
    labelDates: null,
    nRows: n,
    nCols: p,
    X,
    y,
    horizon: 1,
  };
}

describe('RidgeModel', () => {
  it('recovers the coefficients of a linear signal', () => {
    const ds = linearData(2000, [1, -2, 0.5], 0.05, 1);
    const m = new RidgeModel();
    m.fit(ds);
    const pred = m.predict(ds);
    let se = 0;
    for (let i = 0; i < ds.nRows; i++) {
      se += ((pred[i] ?? 0) - (ds.y?.[i] ?? 0)) ** 2;
    }
    expect(Math.sqrt(se / ds.nRows)).toBeLessThan(0.06);
    expect(Number(m.params().alpha)).toBeLessThanOrEqual(10);
  });

  it('predicts bit-for-bit the same after a JSON round trip', () => {
    const ds = linearData(500, [0.3, 0.1, -0.2], 0.5, 3);
    const m = createModel('ridge');
    m.fit(ds);
    const back = modelFromJSON(
      JSON.parse(JSON.stringify(m.toJSON())) as ReturnType<typeof m.toJSON>,
    );
    expect(Array.from(back.predict(ds))).toEqual(Array.from(m.predict(ds)));
  });
});

describe('NaiveModel', () => {
  it('predicts a zero return (tomorrow = today) and round-trips', () => {
    const ds = linearData(10, [1], 0, 4);
    const m = new NaiveModel();
    m.fit(ds);
    expect(Array.from(m.predict(ds))).toEqual(new Array(10).fill(0));
    expect(modelFromJSON(m.toJSON()).kind).toBe('naive');
  });
});
