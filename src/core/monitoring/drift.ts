// Data drift by the rules of Evidently's legacy DataDriftPreset: a column's kind, the default test for it, thresholds, and the data set's verdict.
// Sources: evidently/legacy/calculations/stattests/registry.py (_get_default_stattest),
// legacy/calculations/data_drift.py (cleaning, get_dataset_drift), legacy/utils/data_operations.py
// (process_columns: the preset's column kinds) and legacy/options/data_drift.py (which override wins).
// Where this differs from Evidently, the comment at the spot says how and why.
import { InvalidInputError } from '../errors/index.js';
import {
  DRIFT_REFERENCE_FORMAT,
  isColumnReference,
  sampleOfReference,
  type ColumnReference,
  type DriftReference,
} from './reference-stats.js';
import {
  categoricalSample,
  finiteSorted,
  inferKind,
  isNumericColumn,
  numericAsCategorical,
  numericSampleFromSorted,
  type CategoricalSample,
  type ColumnKind,
  type ColumnValues,
  type NumericSample,
} from './samples.js';
import {
  chiSquareTest,
  fillEmptyBins,
  histogramShares,
  jensenShannonDistance,
  ksTest,
  psiOf,
  sturgesEdges,
  valueShares,
  wassersteinNormed,
  zTest,
  type BinnedShares,
  type TestOutcome,
} from './stattests.js';

/** The drift tests of the preset. */
export const DRIFT_TESTS = ['ks', 'wasserstein', 'chisquare', 'z', 'jensenshannon'] as const;
export type DriftTestName = (typeof DRIFT_TESTS)[number];

/** Each test's default threshold (Evidently's StatTest.default_threshold). */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftTestName, number>> = {
  ks: 0.05,
  wasserstein: 0.1,
  chisquare: 0.05,
  z: 0.05,
  jensenshannon: 0.1,
};

/** Tests whose threshold bounds a p-value (drift below it); the others bound a distance (drift at or above). */
const P_VALUE_TESTS = new Set<DriftTestName>(['ks', 'chisquare', 'z']);

/** A reference of at most this many values (after cleaning) is "small": KS, chi-square or Z instead of distances. */
export const SMALL_REFERENCE_MAX_ROWS = 1000;
/** Up to this many distinct values (reference and current together) a numerical column is tested by its counts. */
export const FEW_VALUES_MAX = 5;
/** Evidently's default share of drifted columns that makes the data set drift. */
export const DEFAULT_DRIFT_SHARE = 0.5;
/** PSI's default threshold; Evidently's psi_stat_test. */
export const DEFAULT_PSI_THRESHOLD = 0.1;
/** Above this many distinct reference values a numerical column is binned (Sturges) for PSI and Jensen-Shannon. */
export const BINNED_MIN_DISTINCT = 20;

export interface PsiResult {
  statistic: number;
  threshold: number;
  drift: boolean;
  nBins: number;
}

/** One column's drift: the test that ran, its numbers and the verdict. */
export interface ColumnDrift {
  kind: ColumnKind;
  /** Values compared, after NaN and +-inf are dropped. */
  nRef: number;
  nCur: number;
  /** Distinct values of reference and current together. */
  nValues: number;
  test: DriftTestName;
  /** The test's statistic; null where it has none (the Z test on one and the same value). */
  statistic: number | null;
  /** For the tests with a p-value: ks, chisquare, z. */
  pValue?: number;
  threshold: number;
  drift: boolean;
  /** The population stability index, reported beside the test (never part of the verdict). */
  psi?: PsiResult;
}

export interface DatasetDriftSummary {
  nColumns: number;
  nDrifted: number;
  share: number;
  threshold: number;
  drift: boolean;
}

export interface DatasetDrift {
  columns: Record<string, ColumnDrift>;
  dataset: DatasetDriftSummary;
}

/** What may be set for one column; anything unset follows Evidently's defaults. */
export interface ColumnDriftOptions {
  /** The column's kind. @defaultValue numbers numerical, strings and booleans categorical */
  kind?: ColumnKind;
  /** The test to run. @defaultValue Evidently's choice by kind, reference size and number of values */
  test?: DriftTestName;
  /** The test's threshold. @defaultValue DEFAULT_THRESHOLDS of the test that runs */
  threshold?: number;
  /** Also report PSI. @defaultValue false */
  psi?: boolean;
  /** PSI's threshold. @defaultValue 0.1 */
  psiThreshold?: number;
}

/** Test and threshold for a group of columns. */
export interface DriftTestChoice {
  test?: DriftTestName;
  threshold?: number;
}

/**
 * Options of a data set's drift, with Evidently's precedence: a column's own setting, then its kind's
 * (`numerical`, `categorical`), then the one for all columns, then the default.
 */
export interface DatasetDriftOptions extends DriftTestChoice {
  columns?: Record<string, ColumnDriftOptions>;
  numerical?: DriftTestChoice;
  categorical?: DriftTestChoice;
  /** Report PSI for every column. @defaultValue false */
  psi?: boolean;
  /** @defaultValue 0.1 */
  psiThreshold?: number;
  /** Share of drifted columns at or above which the data set drifts. @defaultValue 0.5 */
  driftShare?: number;
}

/** A cleaned column of either kind. */
type Prepared =
  { kind: 'numerical'; sample: NumericSample } | { kind: 'categorical'; sample: CategoricalSample };

/**
 * Evidently's default test (registry.py, _get_default_stattest): with a reference of at most 1000
 * values, KS for a numerical column of more than 5 values, else chi-square, or Z for at most 2 values;
 * with a larger reference, the normed Wasserstein distance for a numerical column of more than 5
 * values, else Jensen-Shannon. `nValues` counts reference and current values together.
 */
export function defaultTest(kind: ColumnKind, nRef: number, nValues: number): DriftTestName {
  const few = kind === 'categorical' || nValues <= FEW_VALUES_MAX;
  if (nRef <= SMALL_REFERENCE_MAX_ROWS) {
    return few ? (nValues > 2 ? 'chisquare' : 'z') : 'ks';
  }
  return few ? 'jensenshannon' : 'wasserstein';
}

/** Whether a test's outcome is drift at this threshold (Evidently: KS p <= t; chi-square and Z p < t; distances >= t). */
export function isDrift(test: DriftTestName, outcome: TestOutcome, threshold: number): boolean {
  if (P_VALUE_TESTS.has(test)) {
    const p = outcome.pValue ?? NaN;
    return test === 'ks' ? p <= threshold : p < threshold;
  }
  return (outcome.statistic ?? NaN) >= threshold;
}

function prepareRaw(values: ColumnValues, kind: ColumnKind, where: string): Prepared {
  if (kind === 'numerical') {
    if (!isNumericColumn(values)) {
      throw new InvalidInputError(where, 'is numerical but holds non-numeric values');
    }
    return { kind, sample: numericSampleFromSorted(finiteSorted(values)) };
  }
  return { kind, sample: categoricalSample(values) };
}

function prepareReference(ref: ColumnReference, kind: ColumnKind | undefined, where: string) {
  if (kind !== undefined && kind !== ref.kind) {
    throw new InvalidInputError(
      where,
      `was stored as ${ref.kind} reference statistics; rebuild them with kind "${kind}" to test it as ${kind}`,
    );
  }
  const sample = sampleOfReference(ref);
  return ref.kind === 'numerical'
    ? { kind: 'numerical' as const, sample: sample as NumericSample }
    : { kind: 'categorical' as const, sample: sample as CategoricalSample };
}

/** Distinct values of both samples together; against a sketch, current values off its points count as new. */
function unionSize(ref: Prepared, cur: Prepared): number {
  if (ref.kind === 'numerical' && cur.kind === 'numerical') {
    const a = ref.sample.values;
    const b = cur.sample.values;
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a.length || j < b.length) {
      const x = i < a.length ? (a[i] as number) : Infinity;
      const y = j < b.length ? (b[j] as number) : Infinity;
      const v = x < y ? x : y;
      if (x === v) {
        i++;
      }
      if (y === v) {
        j++;
      }
      k++;
    }
    return k + (ref.sample.distinct - a.length);
  }
  const keys = new Set(categorical(ref).counts.keys());
  for (const key of categorical(cur).counts.keys()) {
    keys.add(key);
  }
  return keys.size;
}

function categorical(p: Prepared): CategoricalSample {
  return p.kind === 'categorical' ? p.sample : numericAsCategorical(p.sample);
}

/**
 * Evidently's get_binned_data: a numerical column with more than 20 distinct reference values is
 * binned by Sturges' rule over both samples; any other column is counted per value.
 */
function binnedShares(ref: Prepared, cur: Prepared): BinnedShares {
  if (
    ref.kind === 'numerical' &&
    cur.kind === 'numerical' &&
    ref.sample.distinct > BINNED_MIN_DISTINCT
  ) {
    const edges = sturgesEdges(ref.sample, cur.sample);
    return { ref: histogramShares(ref.sample, edges), cur: histogramShares(cur.sample, edges) };
  }
  return valueShares(categorical(ref), categorical(cur));
}

function runTest(test: DriftTestName, ref: Prepared, cur: Prepared, where: string): TestOutcome {
  switch (test) {
    case 'ks':
    case 'wasserstein': {
      if (ref.kind !== 'numerical' || cur.kind !== 'numerical') {
        throw new InvalidInputError(where, `is categorical; the ${test} test needs numbers`);
      }
      return test === 'ks'
        ? ksTest(ref.sample, cur.sample)
        : wassersteinNormed(ref.sample, cur.sample);
    }
    case 'chisquare':
      return chiSquareTest(categorical(ref), categorical(cur));
    case 'z':
      return zTest(categorical(ref), categorical(cur));
    case 'jensenshannon': {
      const b = binnedShares(ref, cur);
      return { statistic: jensenShannonDistance(b.ref, b.cur) };
    }
  }
}

/** Column drift on already resolved options: kind decided, thresholds maybe unset. */
function driftOfPrepared(
  ref: Prepared,
  cur: Prepared,
  options: ColumnDriftOptions,
  where: string,
): ColumnDrift {
  // Evidently refuses an empty column rather than call it drifted or not.
  if (ref.sample.n === 0 || cur.sample.n === 0) {
    throw new InvalidInputError(
      where,
      `has no values in the ${ref.sample.n === 0 ? 'reference' : 'current'} data once NaN and +-inf are dropped`,
    );
  }
  const nValues = unionSize(ref, cur);
  const test = options.test ?? defaultTest(ref.kind, ref.sample.n, nValues);
  const threshold = options.threshold ?? DEFAULT_THRESHOLDS[test];
  const outcome = runTest(test, ref, cur, where);
  const result: ColumnDrift = {
    kind: ref.kind,
    nRef: ref.sample.n,
    nCur: cur.sample.n,
    nValues,
    test,
    statistic: outcome.statistic,
    ...(outcome.pValue !== undefined ? { pValue: outcome.pValue } : {}),
    threshold,
    drift: isDrift(test, outcome, threshold),
  };
  if (options.psi === true) {
    const b = binnedShares(ref, cur);
    const psiThreshold = options.psiThreshold ?? DEFAULT_PSI_THRESHOLD;
    const statistic = psiOf(fillEmptyBins(b.ref), fillEmptyBins(b.cur));
    result.psi = {
      statistic,
      threshold: psiThreshold,
      drift: statistic >= psiThreshold,
      nBins: b.ref.length,
    };
  }
  return result;
}

/**
 * Drift of one column: the reference as raw values or as statistics from `columnReference`, the
 * current data as raw values. NaN, null and +-inf are dropped from each side separately.
 */
export function columnDrift(
  ref: ColumnValues | ColumnReference,
  cur: ColumnValues,
  options: ColumnDriftOptions & { name?: string } = {},
): ColumnDrift {
  const where = options.name !== undefined ? `column "${options.name}"` : 'column';
  const r = isColumnReference(ref)
    ? prepareReference(ref, options.kind, where)
    : prepareRaw(ref, options.kind ?? inferKind(ref), where);
  return driftOfPrepared(r, prepareRaw(cur, r.kind, `${where} (current data)`), options, where);
}

function isDriftReference(x: Record<string, ColumnValues> | DriftReference): x is DriftReference {
  const format = (x as { format?: unknown }).format;
  if (typeof format !== 'string') {
    return false;
  }
  if (format !== DRIFT_REFERENCE_FORMAT) {
    throw new InvalidInputError(
      'reference statistics',
      `have format "${format}"; this version reads "${DRIFT_REFERENCE_FORMAT}"`,
    );
  }
  return true;
}

/** Resolves one column's options by Evidently's precedence. */
function columnOptions(
  name: string,
  kind: ColumnKind,
  options: DatasetDriftOptions,
): ColumnDriftOptions {
  const own = options.columns?.[name] ?? {};
  const group = kind === 'numerical' ? options.numerical : options.categorical;
  const test = own.test ?? group?.test ?? options.test;
  const threshold = own.threshold ?? group?.threshold ?? options.threshold;
  const psi = own.psi ?? options.psi;
  const psiThreshold = own.psiThreshold ?? options.psiThreshold;
  return {
    ...(test !== undefined ? { test } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(psi !== undefined ? { psi } : {}),
    ...(psiThreshold !== undefined ? { psiThreshold } : {}),
  };
}

/**
 * Drift of a data set: every column of the reference (raw columns, or statistics from
 * `driftReference`) against the same column of the current data, and the share of drifted columns.
 */
export function datasetDrift(
  ref: Record<string, ColumnValues> | DriftReference,
  cur: Record<string, ColumnValues>,
  options: DatasetDriftOptions = {},
): DatasetDrift {
  const refColumns: Record<string, ColumnValues | ColumnReference> = isDriftReference(ref)
    ? ref.columns
    : ref;
  const names = Object.keys(refColumns);
  if (names.length === 0) {
    throw new InvalidInputError('reference', 'has no columns to compare');
  }
  const columns: Record<string, ColumnDrift> = {};
  for (const name of names) {
    const where = `column "${name}"`;
    const curValues = cur[name];
    if (curValues === undefined) {
      throw new InvalidInputError(where, 'is in the reference but not in the current data');
    }
    const refValues = refColumns[name] as ColumnValues | ColumnReference;
    const kind = options.columns?.[name]?.kind;
    const r = isColumnReference(refValues)
      ? prepareReference(refValues, kind, where)
      : prepareRaw(refValues, kind ?? inferKind(refValues), where);
    const c = prepareRaw(curValues, r.kind, `${where} (current data)`);
    columns[name] = driftOfPrepared(r, c, columnOptions(name, r.kind, options), where);
  }
  const nDrifted = Object.values(columns).filter((c) => c.drift).length;
  const share = nDrifted / names.length;
  const threshold = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  return {
    columns,
    dataset: { nColumns: names.length, nDrifted, share, threshold, drift: share >= threshold },
  };
}

/** A number in JSON: non-finite values as the strings JavaScript prints for them. */
export type JsonNumber = number | 'Infinity' | '-Infinity' | 'NaN';

export const jsonNumber = (x: number): JsonNumber =>
  Number.isFinite(x) ? x : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';

/** ColumnDrift as JSON carries it (what `stockops drift --json` prints per column). */
export interface ColumnDriftJson {
  kind: ColumnKind;
  nRef: number;
  nCur: number;
  nValues: number;
  test: DriftTestName;
  statistic: JsonNumber | null;
  pValue?: JsonNumber;
  threshold: number;
  drift: boolean;
  psi?: { statistic: JsonNumber; threshold: number; drift: boolean; nBins: number };
}

export interface DatasetDriftJson {
  columns: Record<string, ColumnDriftJson>;
  dataset: DatasetDriftSummary;
}

/** One column's drift with non-finite numbers as strings, fields in the documented order. */
export function columnDriftToJSON(c: ColumnDrift): ColumnDriftJson {
  return {
    kind: c.kind,
    nRef: c.nRef,
    nCur: c.nCur,
    nValues: c.nValues,
    test: c.test,
    statistic: c.statistic === null ? null : jsonNumber(c.statistic),
    ...(c.pValue !== undefined ? { pValue: jsonNumber(c.pValue) } : {}),
    threshold: c.threshold,
    drift: c.drift,
    ...(c.psi
      ? {
          psi: {
            statistic: jsonNumber(c.psi.statistic),
            threshold: c.psi.threshold,
            drift: c.psi.drift,
            nBins: c.psi.nBins,
          },
        }
      : {}),
  };
}

export function datasetDriftToJSON(d: DatasetDrift): DatasetDriftJson {
  const columns: Record<string, ColumnDriftJson> = {};
  for (const [name, c] of Object.entries(d.columns)) {
    columns[name] = columnDriftToJSON(c);
  }
  return { columns, dataset: { ...d.dataset } };
}
