// Reference statistics computed once (at training time) so that monitoring compares live data with a training window without reading it again.
// A numerical column keeps its distinct values with their counts while there are at most `maxValues`
// of them, which reproduces every test exactly; beyond that it keeps a sketch of `maxValues` points:
// the sorted column cut into equal blocks, each block's median carrying the block's count. The size,
// standard deviation, extremes and number of distinct values stay exact. Two numbers measured at build
// time bound what the sketch costs (both are 0 for an exact reference):
// - ksError = sup |F - F_sketch| (about 1 / (2 maxValues)), so a KS statistic against the sketch is within
//   ksError of the exact one and its p-value lies between the p-values at D - ksError and D + ksError. KS
//   runs only on references of at most 1000 values (Evidently's rule), which the default maxValues (1024)
//   keeps whole: with the default, every KS p-value from a precomputed reference is exact;
// - wassersteinError = W1(F, F_sketch) / max(std, 0.001): the normed Wasserstein distance against the
//   sketch is within it of the exact one (triangle inequality). It is at most (max - min) / (maxValues std);
//   measured at 1024 points: 0.0008 (uniform), 0.002 (normal), 0.0035 (heavy tails), against the 0.1 threshold.
// Sturges bins for PSI count the sketch's blocks, so a block that straddles an edge lands on one side.
// A categorical column keeps its counts per value, exactly, up to `maxCategories` values.
import { InvalidInputError } from '../errors/index.js';
import {
  compareCategories,
  cumulative,
  finiteSorted,
  inferKind,
  numericSampleFromSorted,
  categoricalSample,
  type CategoricalSample,
  type CategoryValue,
  type ColumnKind,
  type ColumnValues,
  type NumericSample,
} from './samples.js';
import { ksStatistic, wassersteinDistance } from './stattests.js';

/** Tag of the serialised form; a reader refuses any other. */
export const DRIFT_REFERENCE_FORMAT = 'stockops.drift-reference/1';

/** A numerical column's reference statistics (JSON). */
export interface NumericalColumnReference {
  kind: 'numerical';
  /** Finite values in the reference column. */
  n: number;
  /** Distinct finite values in the reference column. */
  distinct: number;
  /** np.std of the finite values (ddof 0), the Wasserstein norm. */
  std: number;
  min: number;
  max: number;
  /** True when `values` are all the distinct values; false for a sketch. */
  exact: boolean;
  /** Ascending; distinct when exact, block medians when a sketch. */
  values: number[];
  /** How many reference values each entry of `values` stands for; they sum to n. */
  counts: number[];
  ksError: number;
  wassersteinError: number;
}

/** A categorical column's reference statistics (JSON): counts per value, values in Python's sort order. */
export interface CategoricalColumnReference {
  kind: 'categorical';
  n: number;
  values: CategoryValue[];
  counts: number[];
}

export type ColumnReference = NumericalColumnReference | CategoricalColumnReference;

/** Reference statistics of a data set, one entry per column. */
export interface DriftReference {
  format: typeof DRIFT_REFERENCE_FORMAT;
  columns: Record<string, ColumnReference>;
}

export interface ColumnReferenceOptions {
  /** The column's kind. @defaultValue inferred: numbers numerical, strings and booleans categorical */
  kind?: ColumnKind;
  /**
   * Most (value, count) pairs kept for a numerical column before it becomes a sketch of this many points.
   * At least 1000 keeps every KS test exact.
   * @defaultValue 1024
   */
  maxValues?: number;
  /**
   * Most distinct values of a categorical column; more is an error (such a column is free text or an id).
   * @defaultValue 1000
   */
  maxCategories?: number;
}

export const DEFAULT_REFERENCE_MAX_VALUES = 1024;
export const DEFAULT_REFERENCE_MAX_CATEGORIES = 1000;

/** Cuts a sorted column into `blocks` equal runs and keeps each run's lower median with the run's size. */
function sketch(sorted: Float64Array, blocks: number): NumericSample & { exact: false } {
  const n = sorted.length;
  const values: number[] = [];
  const counts: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const start = Math.floor((b * n) / blocks);
    const end = Math.floor(((b + 1) * n) / blocks);
    if (end <= start) {
      continue;
    }
    const v = sorted[start + Math.floor((end - start - 1) / 2)] as number;
    if (values.length > 0 && values[values.length - 1] === v) {
      counts[counts.length - 1] = (counts[counts.length - 1] as number) + (end - start);
    } else {
      values.push(v);
      counts.push(end - start);
    }
  }
  const cs = Float64Array.from(counts);
  return {
    values: Float64Array.from(values),
    counts: cs,
    cum: cumulative(cs),
    n,
    std: NaN,
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    distinct: NaN,
    exact: false,
  };
}

/** The reference statistics of one column. */
export function columnReference(
  values: ColumnValues,
  options: ColumnReferenceOptions = {},
): ColumnReference {
  const kind = options.kind ?? inferKind(values);
  if (kind === 'categorical') {
    const s = categoricalSample(values);
    const max = options.maxCategories ?? DEFAULT_REFERENCE_MAX_CATEGORIES;
    if (s.counts.size > max) {
      throw new InvalidInputError(
        'reference column',
        `has ${s.counts.size} distinct values; a categorical reference keeps at most ${max} (maxCategories)`,
      );
    }
    const keys = [...s.counts.keys()].sort(compareCategories);
    return { kind, n: s.n, values: keys, counts: keys.map((k) => s.counts.get(k) ?? 0) };
  }
  if (inferKind(values) !== 'numerical') {
    throw new InvalidInputError('reference column', 'is numerical but holds non-numeric values');
  }
  const maxValues = options.maxValues ?? DEFAULT_REFERENCE_MAX_VALUES;
  if (!Number.isInteger(maxValues) || maxValues < 1) {
    throw new InvalidInputError('maxValues', `must be a positive integer, got ${maxValues}`);
  }
  const sorted = finiteSorted(values);
  const full = numericSampleFromSorted(sorted);
  // An empty column (a feature never computable in the window) keeps n = 0 and zeros, so its JSON has no
  // NaN (JSON would turn it into null); the drift of an empty column is refused, as Evidently refuses it.
  const empty = full.n === 0;
  const base = {
    kind,
    n: full.n,
    distinct: full.distinct,
    std: empty ? 0 : full.std,
    min: empty ? 0 : full.min,
    max: empty ? 0 : full.max,
  };
  if (full.distinct <= maxValues) {
    return {
      ...base,
      exact: true,
      values: Array.from(full.values),
      counts: Array.from(full.counts),
      ksError: 0,
      wassersteinError: 0,
    };
  }
  const sk = sketch(sorted, maxValues);
  return {
    ...base,
    exact: false,
    values: Array.from(sk.values),
    counts: Array.from(sk.counts),
    ksError: ksStatistic(full, sk),
    wassersteinError: wassersteinDistance(full, sk) / Math.max(full.std, 0.001),
  };
}

/** The reference statistics of a data set: every column of `columns`, options per column. */
export function driftReference(
  columns: Record<string, ColumnValues>,
  options: Omit<ColumnReferenceOptions, 'kind'> & {
    columns?: Record<string, { kind?: ColumnKind }>;
  } = {},
): DriftReference {
  const out: Record<string, ColumnReference> = {};
  for (const [name, values] of Object.entries(columns)) {
    const kind = options.columns?.[name]?.kind;
    try {
      out[name] = columnReference(values, {
        ...(kind !== undefined ? { kind } : {}),
        ...(options.maxValues !== undefined ? { maxValues: options.maxValues } : {}),
        ...(options.maxCategories !== undefined ? { maxCategories: options.maxCategories } : {}),
      });
    } catch (e) {
      throw e instanceof InvalidInputError
        ? new InvalidInputError(`column "${name}"`, e.message.replace(/^[^:]*: /, ''))
        : e;
    }
  }
  return { format: DRIFT_REFERENCE_FORMAT, columns: out };
}

/** True for reference statistics, false for a column of raw values. */
export function isColumnReference(x: ColumnValues | ColumnReference): x is ColumnReference {
  return !Array.isArray(x) && !(x instanceof Float64Array);
}

function invalid(why: string): never {
  throw new InvalidInputError('reference statistics', why);
}

/** The sample the tests read from stored reference statistics, after checking their shape. */
export function sampleOfReference(ref: ColumnReference): NumericSample | CategoricalSample {
  if (ref.values.length !== ref.counts.length) {
    invalid(`values (${ref.values.length}) and counts (${ref.counts.length}) differ in length`);
  }
  let total = 0;
  for (const c of ref.counts) {
    if (!(c > 0)) {
      invalid(`a count is ${c}; counts are positive`);
    }
    total += c;
  }
  if (total !== ref.n) {
    invalid(`counts sum to ${total}, n is ${ref.n}`);
  }
  if (ref.kind === 'categorical') {
    return { counts: new Map(ref.values.map((v, i) => [v, ref.counts[i] as number])), n: ref.n };
  }
  const values = Float64Array.from(ref.values);
  for (let i = 1; i < values.length; i++) {
    if (!((values[i] as number) > (values[i - 1] as number))) {
      invalid('values are not strictly ascending');
    }
  }
  const counts = Float64Array.from(ref.counts);
  return {
    values,
    counts,
    cum: cumulative(counts),
    n: ref.n,
    std: ref.std,
    min: ref.min,
    max: ref.max,
    distinct: ref.distinct,
    exact: ref.exact,
  };
}
