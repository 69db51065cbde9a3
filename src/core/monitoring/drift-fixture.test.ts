// The drift engine against the scipy reference (bench/reference/drift_reference.py) on the fixture it wrote: every value to 1e-9 relative, every verdict identical.
// Tolerance: |ts - scipy| <= 1e-9 max(|ts|, |scipy|) + floor. The floor is 1e-12 for statistics, whose
// value near 0 is rounding noise (a distance between nearly equal distributions is a difference of sums
// taken in another order: Python sums value counts in set order, numpy pairwise, this code left to right),
// and 1e-300 for p-values (relative all the way down to the subnormal range).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  columnDrift,
  columnDriftToJSON,
  columnReference,
  datasetDrift,
  driftReference,
  type ColumnDriftJson,
  type ColumnDriftOptions,
  type ColumnValues,
  type DatasetDriftOptions,
  type JsonNumber,
} from './index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'tests', 'fixtures', 'drift');

interface FixtureColumn {
  dtype: 'float' | 'int' | 'bool' | 'str';
  values: (number | string | boolean | null)[];
}

interface ColumnCase {
  name: string;
  ref: FixtureColumn;
  cur: FixtureColumn;
  options: ColumnDriftOptions;
  expected: ColumnDriftJson;
}

interface DatasetCase {
  name: string;
  ref: Record<string, FixtureColumn>;
  cur: Record<string, FixtureColumn>;
  options: DatasetDriftOptions;
  expected: { columns: Record<string, ColumnDriftJson>; dataset: Record<string, unknown> };
}

const read = (file: string): unknown => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));

/** A fixture column as the engine takes it: floats with NaN for missing, others as they are. */
function decode(c: FixtureColumn): ColumnValues {
  if (c.dtype === 'float' || c.dtype === 'int') {
    return Float64Array.from(c.values, (v) =>
      v === null ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number(v),
    );
  }
  return c.values;
}

const num = (v: JsonNumber | null | undefined): number | null | undefined =>
  v === null || v === undefined
    ? v
    : v === 'Infinity'
      ? Infinity
      : v === '-Infinity'
        ? -Infinity
        : v === 'NaN'
          ? NaN
          : v;

function close(
  actual: number | null | undefined,
  expected: number | null | undefined,
  floor: number,
  what: string,
) {
  if (expected === null || expected === undefined || actual === null || actual === undefined) {
    expect(actual, what).toBe(expected);
    return;
  }
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) {
    expect(actual, what).toBe(expected);
    return;
  }
  const tol = 1e-9 * Math.max(Math.abs(actual), Math.abs(expected)) + floor;
  expect(
    Math.abs(actual - expected),
    `${what}: ${actual} vs scipy ${expected}`,
  ).toBeLessThanOrEqual(tol);
}

function expectSame(actual: ColumnDriftJson, expected: ColumnDriftJson, name: string) {
  const { statistic, pValue, psi, ...rest } = actual;
  const { statistic: es, pValue: ep, psi: epsi, ...erest } = expected;
  expect(rest, name).toEqual(erest);
  close(num(statistic), num(es), 1e-12, `${name} statistic`);
  close(num(pValue), num(ep), 1e-300, `${name} p-value`);
  expect(psi === undefined, `${name} psi`).toBe(epsi === undefined);
  if (psi && epsi) {
    const { statistic: ps, ...prest } = psi;
    const { statistic: eps, ...eprest } = epsi;
    expect(prest, `${name} psi`).toEqual(eprest);
    close(num(ps), num(eps), 1e-12, `${name} psi statistic`);
  }
}

const columns = read('columns.json') as { scipy: string; cases: ColumnCase[] };
const datasets = read('datasets.json') as { datasets: DatasetCase[] };

describe('columnDrift against the scipy reference', () => {
  it.each(columns.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const got = columnDriftToJSON(columnDrift(decode(c.ref), decode(c.cur), c.options));
    expectSame(got, c.expected, c.name);
  });

  it('gives the same answers from precomputed reference statistics, exactly when they hold every value', () => {
    for (const c of columns.cases) {
      const ref = decode(c.ref);
      const stats = columnReference(ref, c.options.kind ? { kind: c.options.kind } : {});
      // A round trip through JSON, as the statistics are stored.
      const stored = JSON.parse(JSON.stringify(stats)) as typeof stats;
      const fromStats = columnDrift(stored, decode(c.cur), c.options);
      const fromRaw = columnDrift(ref, decode(c.cur), c.options);
      if (stats.kind === 'categorical' || stats.exact) {
        expect(fromStats, c.name).toEqual(fromRaw);
        continue;
      }
      // A sketch: the verdict's number stays within the error measured when the sketch was made.
      expect(fromStats.test, c.name).toBe(fromRaw.test);
      const bound = fromRaw.test === 'ks' ? stats.ksError : stats.wassersteinError;
      expect(bound, c.name).toBeGreaterThan(0);
      expect(
        Math.abs((fromStats.statistic ?? NaN) - (fromRaw.statistic ?? NaN)),
        c.name,
      ).toBeLessThanOrEqual(bound + 1e-12);
    }
  });
});

describe('datasetDrift against the scipy reference', () => {
  it.each(datasets.datasets.map((d) => [d.name, d] as const))('%s', (_name, d) => {
    const ref = Object.fromEntries(Object.entries(d.ref).map(([k, v]) => [k, decode(v)]));
    const cur = Object.fromEntries(Object.entries(d.cur).map(([k, v]) => [k, decode(v)]));
    const got = datasetDrift(ref, cur, d.options);
    expect(got.dataset).toEqual(d.expected.dataset);
    for (const [name, c] of Object.entries(d.expected.columns)) {
      const g = got.columns[name];
      expect(g, name).toBeDefined();
      expectSame(columnDriftToJSON(g ?? (undefined as never)), c, `${d.name} / ${name}`);
    }
    const kinds = Object.fromEntries(
      Object.entries(d.options.columns ?? {}).flatMap(([k, v]) =>
        v.kind !== undefined ? [[k, { kind: v.kind }]] : [],
      ),
    );
    expect(datasetDrift(driftReference(ref, { columns: kinds }), cur, d.options)).toEqual(got);
  });
});
