import { describe, expect, it } from 'vitest';
import type { Dataset } from '../features/index.js';
import { gaussian, seededRandom } from '../testing/index.js';
import {
  binThresholds,
  boost,
  createModel,
  DEFAULT_BOOSTING,
  DriftModel,
  HistogramGbdtModel,
  MODEL_KINDS,
  modelFromJSON,
  NaiveModel,
  RidgeModel,
  type ModelJson,
} from './index.js';

function dataset(
  n: number,
  p: number,
  signal: (x: number[]) => number,
  noise: number,
  seed: number,
): Dataset {
  const rand = seededRandom(seed);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const row: number[] = [];
    for (let c = 0; c < p; c++) {
      const x = gaussian(rand);
      X[r * p + c] = x;
      row.push(x);
    }
    y[r] = signal(row) + noise * gaussian(rand);
  }
  return {
    featureSet: 'test@1',
    featureNames: Array.from({ length: p }, (_, i) => `f${i}`),
    dates: Array.from({ length: n }, (_, i) => String(i)),
    labelDates: null,
    nRows: n,
    nCols: p,
    X,
    y,
    horizon: 1,
  };
}

const linear = (coef: number[]) => (x: number[]) =>
  0.5 + coef.reduce((s, c, i) => s + c * (x[i] ?? 0), 0);

function rmseOf(pred: Float64Array, ds: Dataset): number {
  let se = 0;
  for (let i = 0; i < ds.nRows; i++) {
    se += ((pred[i] ?? 0) - (ds.y?.[i] ?? 0)) ** 2;
  }
  return Math.sqrt(se / ds.nRows);
}

const roundTrip = (json: ModelJson) => modelFromJSON(JSON.parse(JSON.stringify(json)) as ModelJson);

describe('RidgeModel', () => {
  it('recovers the coefficients of a linear signal', () => {
    const ds = dataset(2000, 3, linear([1, -2, 0.5]), 0.05, 1);
    const m = new RidgeModel();
    m.fit(ds);
    expect(rmseOf(m.predict(ds), ds)).toBeLessThan(0.06);
    expect(Number(m.params().alpha)).toBeLessThanOrEqual(10);
  });

  it('reports every alpha it tried on the validation tail and which one it chose', () => {
    const ds = dataset(500, 3, linear([0.3, 0.1, -0.2]), 0.5, 3);
    const m = new RidgeModel({ alphas: [1, 100, 10000] });
    m.fit(ds);
    const trials = m.tuningTrials();
    expect(trials.map((t) => t.params.alpha)).toEqual([1, 100, 10000]);
    expect(trials.filter((t) => t.chosen)).toHaveLength(1);
    const chosen = trials.find((t) => t.chosen);
    expect(chosen?.params.alpha).toBe(m.params().alpha);
    expect(chosen?.validationRmse).toBe(Math.min(...trials.map((t) => t.validationRmse)));
  });

  it('reads a format-1 file written before feature sets were recorded', () => {
    const legacy = {
      format: 'stockops.model',
      formatVersion: 1,
      kind: 'ridge',
      featureNames: ['f0', 'f1'],
      horizon: 1,
      params: { alphas: [10], validationFraction: 0.2 },
      state: { alpha: 10, mean: [0, 0], scale: [1, 1], coef: [0.5, -1], intercept: 0.1 },
    } as ModelJson;
    const m = modelFromJSON(legacy);
    const ds = { ...dataset(2, 2, () => 0, 0, 1), featureSet: 'basic@1' };
    const x0 = ds.X[0] ?? 0;
    const x1 = ds.X[1] ?? 0;
    expect(m.predict(ds)[0]).toBeCloseTo(0.1 + 0.5 * x0 - x1, 12);
    expect(m.toJSON()).toMatchObject({ formatVersion: 2, featureSet: 'basic@1' });
  });
});

describe('every model kind', () => {
  const train = dataset(600, 4, (x) => Math.sin(x[0] ?? 0) + 0.3 * (x[1] ?? 0), 0.3, 5);
  const test = dataset(200, 4, (x) => Math.sin(x[0] ?? 0) + 0.3 * (x[1] ?? 0), 0.3, 6);

  for (const kind of MODEL_KINDS) {
    it(`${kind} predicts bit for bit the same after a JSON round trip`, () => {
      const m = createModel(kind);
      m.fit(train);
      const json = m.toJSON();
      expect(json).toMatchObject({ formatVersion: 2, kind, featureSet: 'test@1', horizon: 1 });
      const back = roundTrip(json);
      expect(back.kind).toBe(kind);
      const a = m.predict(test);
      const b = back.predict(test);
      expect(a.every((v, i) => Object.is(v, b[i]))).toBe(true);
      expect(JSON.stringify(back.toJSON())).toBe(JSON.stringify(json));
    });

    it(`${kind} refuses rows built by another feature set`, () => {
      const m = createModel(kind);
      m.fit(train);
      if (kind !== 'naive' && kind !== 'drift') {
        expect(() => m.predict({ ...test, featureSet: 'other@1' })).toThrow(/trained on test@1/);
      }
      expect(m.predict(test)).toHaveLength(test.nRows);
    });
  }
});

describe('NaiveModel and DriftModel', () => {
  it('naive predicts a zero return (tomorrow = today)', () => {
    const ds = dataset(10, 1, () => 1, 0, 4);
    const m = new NaiveModel();
    m.fit(ds);
    expect(Array.from(m.predict(ds))).toEqual(new Array(10).fill(0));
  });

  it('drift predicts the mean return of its training window', () => {
    const ds = dataset(10, 1, (x) => x[0] ?? 0, 0, 4);
    const m = new DriftModel();
    m.fit(ds);
    const mean = Array.from(ds.y ?? []).reduce((s, v) => s + v, 0) / 10;
    expect(m.predict(ds)[3]).toBeCloseTo(mean, 15);
  });
});

describe('binThresholds', () => {
  it('uses midpoints between distinct values when there are few, like scikit-learn', () => {
    expect(Array.from(binThresholds(Float64Array.from([3, 1, 2, 2, 1]), 255))).toEqual([1.5, 2.5]);
  });

  it('uses midpoint quantiles when there are many', () => {
    const col = Float64Array.from({ length: 1001 }, (_, i) => i);
    const edges = binThresholds(col, 4);
    expect(Array.from(edges)).toEqual([250, 500, 750]);
  });
});

describe('HistogramGbdtModel', () => {
  const noEs = { earlyStopping: false, grid: {} };

  it('learns a nonlinear signal that ridge cannot', () => {
    const f = (x: number[]) => ((x[0] ?? 0) > 0 ? 1 : -1) * Math.abs(x[1] ?? 0);
    const train = dataset(3000, 3, f, 0.1, 11);
    const test = dataset(1000, 3, f, 0.1, 12);
    const gbdt = new HistogramGbdtModel({ ...noEs, maxIter: 200, learningRate: 0.1 });
    gbdt.fit(train);
    const ridge = new RidgeModel();
    ridge.fit(train);
    expect(rmseOf(gbdt.predict(test), test)).toBeLessThan(0.3);
    expect(rmseOf(ridge.predict(test), test)).toBeGreaterThan(0.6);
  });

  it('grows leaf-wise to at most maxLeafNodes leaves of at least minSamplesLeaf rows', () => {
    const ds = dataset(800, 3, linear([1, 1, 1]), 0.5, 2);
    const r = boost(
      { X: ds.X, y: ds.y ?? new Float64Array(0), n: 800, p: 3 },
      { ...DEFAULT_BOOSTING, maxIter: 5, maxLeafNodes: 7, minSamplesLeaf: 40 },
    );
    expect(r.forest.trees).toHaveLength(5);
    for (const t of r.forest.trees) {
      expect(t.left.filter((l) => l < 0)).toHaveLength(7);
    }
    const m = new HistogramGbdtModel({ ...noEs, maxIter: 5, maxLeafNodes: 7, minSamplesLeaf: 40 });
    m.fit(ds);
    const leafOf = (tree: (typeof r.forest.trees)[number], r0: number) => {
      let k = 0;
      while ((tree.left[k] ?? -1) >= 0) {
        const f = tree.feature[k] ?? 0;
        k =
          (ds.X[r0 * 3 + f] ?? 0) <= (tree.threshold[k] ?? 0)
            ? (tree.left[k] ?? 0)
            : (tree.right[k] ?? 0);
      }
      return k;
    };
    const counts = new Map<number, number>();
    const first = r.forest.trees[0];
    for (let i = 0; i < 800 && first; i++) {
      const leaf = leafOf(first, i);
      counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
    }
    expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(40);
  });

  it('splits every node of a tree at its best candidate, as a brute-force search over its rows finds', () => {
    // Slow-moving and low-cardinality columns (a trend, a weekday-like code, a 0/1 flag) beside noise:
    // the shapes whose histograms have long runs of one bin or many empty bins.
    const n = 3000;
    const p = 5;
    const rand = seededRandom(5);
    const X = new Float64Array(n * p);
    const y = new Float64Array(n);
    let walk = 0;
    for (let i = 0; i < n; i++) {
      walk += gaussian(rand) * 0.1;
      const row = [walk, i % 5, gaussian(rand) > 1 ? 1 : 0, gaussian(rand), gaussian(rand)];
      row.forEach((x, c) => (X[i * p + c] = x));
      y[i] = Math.sin(walk) + 0.3 * (row[1] ?? 0) * (row[2] ?? 0) + gaussian(rand);
    }
    const minLeaf = 20;
    const tree = boost(
      { X, y, n, p },
      { ...DEFAULT_BOOSTING, maxIter: 1, maxLeafNodes: 31, minSamplesLeaf: minLeaf },
    ).forest.trees[0];
    if (!tree) {
      throw new Error('no tree');
    }
    const mean = y.reduce((a, b) => a + b, 0) / n;
    const g = Float64Array.from(y, (v) => mean - v);
    const col = (f: number) => Float64Array.from({ length: n }, (_, i) => X[i * p + f] ?? 0);
    const edges = Array.from({ length: p }, (_, f) => binThresholds(col(f), 255));
    const gainOf = (rows: number[], left: (i: number) => boolean) => {
      let gl = 0;
      let nl = 0;
      let gs = 0;
      for (const i of rows) {
        gs += g[i] ?? 0;
        if (left(i)) {
          gl += g[i] ?? 0;
          nl++;
        }
      }
      const nr = rows.length - nl;
      if (nl < minLeaf || nr < minLeaf) {
        return -Infinity;
      }
      return gl ** 2 / nl + (gs - gl) ** 2 / nr - gs ** 2 / rows.length;
    };
    let checked = 0;
    const visit = (k: number, rows: number[]) => {
      const l = tree.left[k] ?? -1;
      if (l < 0) {
        return;
      }
      const f = tree.feature[k] ?? 0;
      const t = tree.threshold[k] ?? 0;
      let best = -Infinity;
      for (let c = 0; c < p; c++) {
        for (const e of edges[c] ?? []) {
          best = Math.max(
            best,
            gainOf(rows, (i) => (X[i * p + c] ?? 0) <= e),
          );
        }
      }
      const chosen = gainOf(rows, (i) => (X[i * p + f] ?? 0) <= t);
      // Gains are found on gradients quantised to 2^-24 of the largest: near ties may go either way.
      expect(chosen).toBeGreaterThanOrEqual(best * (1 - 1e-6));
      checked++;
      visit(
        l,
        rows.filter((i) => (X[i * p + f] ?? 0) <= t),
      );
      visit(
        tree.right[k] ?? 0,
        rows.filter((i) => (X[i * p + f] ?? 0) > t),
      );
    };
    visit(
      0,
      Array.from({ length: n }, (_, i) => i),
    );
    expect(checked).toBe(30);
  });

  it('is deterministic by seed, and subsampling makes the seed matter', () => {
    const ds = dataset(600, 3, linear([1, 0, 0]), 1, 9);
    const fit = (seed: number) => {
      const m = new HistogramGbdtModel({ ...noEs, maxIter: 20, subsample: 0.5, seed });
      m.fit(ds);
      return JSON.stringify(m.toJSON().state);
    };
    expect(fit(1)).toBe(fit(1));
    expect(fit(1)).not.toBe(fit(2));
  });

  it('stops early on pure noise and records its tuning trials inside the training window', () => {
    const ds = dataset(1500, 4, () => 0, 1, 21);
    const m = new HistogramGbdtModel();
    m.fit(ds);
    const trials = m.tuningTrials();
    expect(trials).toHaveLength(4);
    expect(trials.filter((t) => t.chosen)).toHaveLength(1);
    expect(Number(m.params().trees)).toBeLessThan(40);
  });

  it('applies L2 regularisation by shrinking leaf values', () => {
    const ds = dataset(400, 2, linear([1, 0]), 0.1, 3);
    const maxLeaf = (l2: number) => {
      const r = boost(
        { X: ds.X, y: ds.y ?? new Float64Array(0), n: 400, p: 2 },
        { ...DEFAULT_BOOSTING, maxIter: 1, l2Regularization: l2, learningRate: 1 },
      );
      return Math.max(...(r.forest.trees[0]?.value.map(Math.abs) ?? [0]));
    };
    expect(maxLeaf(100)).toBeLessThan(maxLeaf(0));
  });
});
