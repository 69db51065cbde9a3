// The drift engine's rules on small hand-made columns: kinds, the default test, cleaning, edge cases, options, JSON and precomputed references.
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/index.js';
import {
  DRIFT_REFERENCE_FORMAT,
  columnDrift,
  columnDriftToJSON,
  columnReference,
  datasetDrift,
  datasetDriftToJSON,
  defaultTest,
  driftReference,
  inferKind,
  type DriftReference,
} from './index.js';

/** A deterministic pseudo-random stream (LCG), so the tests need no fixture. */
function stream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const uniform = (n: number, seed: number, shift = 0): Float64Array => {
  const r = stream(seed);
  return Float64Array.from({ length: n }, () => r() + shift);
};

describe('inferKind', () => {
  it('calls numbers numerical, integers included, and strings and booleans categorical', () => {
    expect(inferKind(new Float64Array([1, 2]))).toBe('numerical');
    expect(inferKind([1, 2, 3, null])).toBe('numerical');
    expect(inferKind(['a', null, 'b'])).toBe('categorical');
    expect(inferKind([true, false, null])).toBe('categorical');
    expect(inferKind([1, 'a'])).toBe('categorical');
  });
});

describe('defaultTest', () => {
  it("follows Evidently's choice by kind, reference size and number of values", () => {
    expect(defaultTest('numerical', 1000, 6)).toBe('ks');
    expect(defaultTest('numerical', 1001, 6)).toBe('wasserstein');
    expect(defaultTest('numerical', 1000, 5)).toBe('chisquare');
    expect(defaultTest('numerical', 1000, 3)).toBe('chisquare');
    expect(defaultTest('numerical', 1000, 2)).toBe('z');
    expect(defaultTest('numerical', 5000, 5)).toBe('jensenshannon');
    expect(defaultTest('categorical', 10, 40)).toBe('chisquare');
    expect(defaultTest('categorical', 10, 2)).toBe('z');
    expect(defaultTest('categorical', 1001, 2)).toBe('jensenshannon');
  });
});

describe('columnDrift', () => {
  it('drops NaN, null and +-inf from each side separately before counting and testing', () => {
    const ref = [1, 2, NaN, 3, Infinity, 4, -Infinity, 5, 6, null];
    const cur = [1, 2, 3, NaN, 4, 5, 6, 7];
    const d = columnDrift(ref, cur);
    expect([d.nRef, d.nCur, d.nValues, d.test]).toEqual([6, 7, 7, 'ks']);
  });

  it('refuses a column with no values left on one side, saying which', () => {
    const run = () => columnDrift([NaN, Infinity], [1, 2], { name: 'rsi' });
    expect(run).toThrow(InvalidInputError);
    expect(run).toThrow('column "rsi": has no values in the reference data');
    expect(() => columnDrift(['a'], [null, null])).toThrow('in the current data');
  });

  it('tests two constant columns of one and the same value by Z with p = 1 and no statistic', () => {
    const d = columnDrift(new Float64Array(40).fill(3), new Float64Array(10).fill(3));
    expect(d).toMatchObject({ test: 'z', statistic: null, pValue: 1, drift: false, nValues: 1 });
  });

  it('finds drift between two constant columns of different values', () => {
    const d = columnDrift(new Float64Array(40).fill(3), new Float64Array(30).fill(4));
    expect(d.test).toBe('z');
    expect(d.drift).toBe(true);
    expect(d.pValue).toBeLessThan(1e-10);
  });

  it('compares one value with one value', () => {
    const d = columnDrift([1], [2]);
    expect(d).toMatchObject({ nRef: 1, nCur: 1, nValues: 2, test: 'z', drift: false });
  });

  it('counts ties once among the distinct values and still runs the exact KS', () => {
    const ref = Float64Array.from({ length: 200 }, (_, i) => i % 10);
    const cur = Float64Array.from({ length: 150 }, (_, i) => (i % 10) + (i % 3 === 0 ? 1 : 0));
    const d = columnDrift(ref, cur);
    expect(d.nValues).toBe(11);
    expect(d.test).toBe('ks');
    expect(d.pValue).toBeGreaterThan(0);
  });

  it('tests integers with at most 5 values by their counts, and by KS once the current data brings more', () => {
    const few = columnDrift([0, 1, 2, 0, 1, 2, 0], [0, 1, 1, 2, 2]);
    expect(few.test).toBe('chisquare');
    const two = columnDrift([0, 1, 0, 1], [1, 1, 0]);
    expect(two.test).toBe('z');
    // The preset keeps integers numerical (process_columns), so 4 + 3 new values make 7: KS.
    const more = columnDrift([1, 2, 3, 4, 1, 2], [1, 5, 6, 7]);
    expect([more.kind, more.nValues, more.test]).toEqual(['numerical', 7, 'ks']);
  });

  it('tests strings and booleans as categories, by chi-square, Z or Jensen-Shannon', () => {
    expect(columnDrift(['a', 'b', 'c', null], ['a', 'c', 'c']).test).toBe('chisquare');
    expect(columnDrift([true, false, true], [false, false]).test).toBe('z');
    const big = Array.from({ length: 1500 }, (_, i) => (i % 3 === 0 ? 'x' : 'y'));
    const d = columnDrift(big, ['x', 'y', 'y']);
    expect([d.kind, d.test]).toEqual(['categorical', 'jensenshannon']);
  });

  it('makes a category new in the current data an infinite chi-square and certain drift', () => {
    const d = columnDrift(['a', 'b', 'c', 'a'], ['a', 'b', 'c', 'd']);
    expect(d).toMatchObject({ test: 'chisquare', statistic: Infinity, pValue: 0, drift: true });
  });

  it('uses the normed Wasserstein distance above 1000 reference values and the KS test up to it', () => {
    expect(columnDrift(uniform(1000, 1), uniform(300, 2)).test).toBe('ks');
    const w = columnDrift(uniform(1001, 1), uniform(300, 2, 0.5));
    expect(w.test).toBe('wasserstein');
    expect(w.pValue).toBeUndefined();
    expect(w.drift).toBe(true);
  });

  it('runs the test and threshold it is given, and refuses a distribution test on categories', () => {
    const d = columnDrift(uniform(200, 3), uniform(200, 4), {
      test: 'wasserstein',
      threshold: 0.5,
    });
    expect([d.test, d.threshold, d.drift]).toEqual(['wasserstein', 0.5, false]);
    expect(() => columnDrift(['a', 'b'], ['a'], { test: 'ks' })).toThrow('needs numbers');
    expect(() => columnDrift(['a', 'b'], ['a'], { kind: 'numerical' })).toThrow('non-numeric');
  });

  it('reports PSI beside the test without letting it decide the verdict', () => {
    const d = columnDrift(uniform(500, 5), uniform(500, 6, 0.3), {
      psi: true,
      test: 'ks',
      threshold: 1e-300,
    });
    expect(d.drift).toBe(false);
    expect(d.psi?.drift).toBe(true);
    expect(d.psi?.nBins).toBeGreaterThan(5);
  });
});

describe('datasetDrift', () => {
  const ref = { a: uniform(300, 1), b: uniform(300, 2), c: ['x', 'y', 'x', 'y'] };
  const cur = { a: uniform(300, 3, 0.4), b: uniform(300, 4), c: ['x', 'y', 'y'] };

  it('drifts when the share of drifted columns reaches the threshold', () => {
    const d = datasetDrift(ref, cur);
    expect(d.dataset).toEqual({
      nColumns: 3,
      nDrifted: 1,
      share: 1 / 3,
      threshold: 0.5,
      drift: false,
    });
    expect(datasetDrift(ref, cur, { driftShare: 1 / 3 }).dataset.drift).toBe(true);
  });

  it('takes a column setting over its kind, the kind over all columns, all columns over the default', () => {
    const d = datasetDrift(ref, cur, {
      test: 'jensenshannon',
      threshold: 0.9,
      numerical: { test: 'wasserstein' },
      columns: { b: { test: 'ks', threshold: 0.01 } },
    });
    expect([d.columns.a?.test, d.columns.a?.threshold]).toEqual(['wasserstein', 0.9]);
    expect([d.columns.b?.test, d.columns.b?.threshold]).toEqual(['ks', 0.01]);
    expect([d.columns.c?.test, d.columns.c?.threshold]).toEqual(['jensenshannon', 0.9]);
  });

  it('names a reference column the current data lacks', () => {
    expect(() => datasetDrift(ref, { a: cur.a, b: cur.b })).toThrow(
      'column "c": is in the reference',
    );
    expect(() => datasetDrift({}, cur)).toThrow('no columns');
  });
});

describe('JSON form', () => {
  it('writes non-finite numbers as strings, a missing statistic as null, fields in the documented order', () => {
    const inf = columnDriftToJSON(columnDrift(['a', 'b', 'c'], ['d', 'a', 'b'], { psi: true }));
    expect(inf.statistic).toBe('Infinity');
    expect(Object.keys(inf)).toEqual([
      'kind',
      'nRef',
      'nCur',
      'nValues',
      'test',
      'statistic',
      'pValue',
      'threshold',
      'drift',
      'psi',
    ]);
    const none = datasetDriftToJSON(datasetDrift({ x: [1, 1] }, { x: [1] }));
    expect(none.columns.x?.statistic).toBeNull();
    expect(JSON.parse(JSON.stringify(none))).toEqual(none);
  });
});

describe('columnReference', () => {
  it('keeps every distinct value with its count while there are few, and reproduces the raw result', () => {
    const ref = Float64Array.from({ length: 5000 }, (_, i) => Math.round(Math.sin(i) * 50) / 10);
    const stats = columnReference(ref);
    expect(stats.kind === 'numerical' && stats.exact).toBe(true);
    const cur = uniform(400, 9);
    expect(columnDrift(stats, cur, { psi: true })).toEqual(columnDrift(ref, cur, { psi: true }));
  });

  it('sketches a column with more distinct values than maxValues into that many points, with the error it costs', () => {
    const ref = uniform(20000, 11);
    const stats = columnReference(ref, { maxValues: 256 });
    if (stats.kind !== 'numerical') {
      throw new Error('expected numerical statistics');
    }
    expect(stats.exact).toBe(false);
    expect(stats.values.length).toBeLessThanOrEqual(256);
    expect(stats.n).toBe(20000);
    expect(stats.ksError).toBeLessThanOrEqual(1 / 256);
    const cur = uniform(3000, 12, 0.05);
    const exact = columnDrift(ref, cur);
    const approx = columnDrift(stats, cur);
    expect(approx.test).toBe('wasserstein');
    expect(Math.abs((approx.statistic ?? 0) - (exact.statistic ?? 0))).toBeLessThanOrEqual(
      stats.wassersteinError + 1e-12,
    );
  });

  it('keeps a small reference whole with the default maxValues, so its KS test stays exact', () => {
    const ref = uniform(1000, 13);
    const stats = columnReference(ref);
    expect(stats.kind === 'numerical' && stats.exact && stats.ksError === 0).toBe(true);
    const cur = uniform(500, 14);
    expect(columnDrift(stats, cur)).toEqual(columnDrift(ref, cur));
  });

  it('stores an empty column as n = 0 without NaN, and refuses its drift as the raw column would be', () => {
    const stats = columnReference([NaN, NaN, Infinity]);
    expect(stats).toMatchObject({ kind: 'numerical', n: 0, std: 0, values: [], counts: [] });
    const stored = JSON.parse(JSON.stringify(stats)) as typeof stats;
    expect(stored).toEqual(stats);
    expect(() => columnDrift(stored, [1, 2])).toThrow('no values in the reference data');
  });

  it('counts categories, refusing more than maxCategories', () => {
    const stats = columnReference(['b', 'a', 'b', null]);
    expect(stats).toEqual({ kind: 'categorical', n: 3, values: ['a', 'b'], counts: [1, 2] });
    expect(() => columnReference(['a', 'b', 'c'], { maxCategories: 2 })).toThrow('at most 2');
  });

  it('refuses a kind other than the one the statistics were built for, and a foreign format', () => {
    const stats = columnReference([1, 2, 3]);
    expect(() => columnDrift(stats, [1, 2], { kind: 'categorical' })).toThrow('rebuild them');
    const foreign = { format: 'other/1', columns: {} } as unknown as DriftReference;
    expect(() => datasetDrift(foreign, {})).toThrow(DRIFT_REFERENCE_FORMAT);
    const broken = { ...stats, counts: [1, 1] };
    expect(() => columnDrift(broken, [1])).toThrow('differ in length');
  });

  it('stays bounded in size whatever the number of rows: under 45 kB of JSON per numerical column', () => {
    const columns = Object.fromEntries(
      Array.from({ length: 4 }, (_, k) => [`f${k}`, uniform(50000, k)]),
    );
    const json = JSON.stringify(driftReference(columns));
    expect(json.length).toBeLessThan(4 * 45_000);
  });
});
