// One column's cleaned values as the drift tests read them: numbers as distinct sorted values with counts, categories as counts per value.
// Both a raw column and a precomputed reference (reference-stats.ts) become these, so one code path
// serves both. Cleaning follows Evidently: NaN and +-inf are dropped, each side on its own.

/** How a column is compared: numerical values by their distribution, categorical ones by counts per value. */
export type ColumnKind = 'numerical' | 'categorical';

/** One category of a categorical column. */
export type CategoryValue = string | number | boolean;

/** A column as the drift engine takes it: numbers (NaN or null = missing), or strings / booleans (null = missing). */
export type ColumnValues =
  | Float64Array
  | readonly (number | null)[]
  | readonly (string | null)[]
  | readonly (boolean | null)[]
  | readonly (CategoryValue | null)[];

/** The finite values of a numerical column, grouped: `values` ascending and distinct, `counts` their weights. */
export interface NumericSample {
  readonly values: Float64Array;
  readonly counts: Float64Array;
  /** cum[i] = counts[0] + ... + counts[i]. */
  readonly cum: Float64Array;
  /** Number of finite values. */
  readonly n: number;
  /** Population standard deviation (numpy's np.std, ddof 0) of all the finite values. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** Distinct finite values in the whole column (more than values.length when the sample is a sketch). */
  readonly distinct: number;
  /** False when `values` is a sketch of a larger column (reference-stats.ts). */
  readonly exact: boolean;
}

/** The non-missing values of a categorical column, counted. */
export interface CategoricalSample {
  readonly counts: ReadonlyMap<CategoryValue, number>;
  readonly n: number;
}

// undefined counts as missing too: a sparse array or a JSON reader may leave holes.
const isMissing = (v: unknown): boolean =>
  v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));

/** True when every present value is a number: the column is numeric (pandas' numeric dtype). */
export function isNumericColumn(values: ColumnValues): boolean {
  if (values instanceof Float64Array) {
    return true;
  }
  for (const v of values) {
    if (v !== null && typeof v !== 'number') {
      return false;
    }
  }
  return true;
}

/**
 * The kind Evidently's DataDriftPreset gives a column (process_columns): pandas' numeric dtypes are
 * numerical, integers included whatever their number of values; booleans and strings are categorical.
 */
export function inferKind(values: ColumnValues): ColumnKind {
  return isNumericColumn(values) ? 'numerical' : 'categorical';
}

/** The finite numbers of a column, sorted ascending (NaN, null and +-inf dropped). */
export function finiteSorted(values: ColumnValues): Float64Array {
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) {
      out[k++] = v;
    }
  }
  // Typed-array sort compares numerically, and -0 before +0, which are one value to every test here.
  return out.subarray(0, k).sort();
}

/** Groups sorted finite values into a sample; `std` over the same values (two passes, as np.std). */
export function numericSampleFromSorted(sorted: Float64Array): NumericSample {
  const n = sorted.length;
  const values = new Float64Array(n);
  const counts = new Float64Array(n);
  let d = -1;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    if (v !== prev) {
      d++;
      values[d] = v;
      prev = v;
    }
    counts[d] = (counts[d] as number) + 1;
  }
  const distinct = d + 1;
  const vs = values.slice(0, distinct);
  const cs = counts.slice(0, distinct);
  return {
    values: vs,
    counts: cs,
    cum: cumulative(cs),
    n,
    std: populationStd(sorted),
    min: n > 0 ? (sorted[0] as number) : NaN,
    max: n > 0 ? (sorted[n - 1] as number) : NaN,
    distinct,
    exact: true,
  };
}

/** Prefix sums of the counts. */
export function cumulative(counts: Float64Array): Float64Array {
  const cum = new Float64Array(counts.length);
  let s = 0;
  for (let i = 0; i < counts.length; i++) {
    s += counts[i] as number;
    cum[i] = s;
  }
  return cum;
}

/** Neumaier-compensated sum, so long sums agree with numpy's pairwise ones to a few ulps. */
export function accurateSum(xs: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

/** np.std with ddof 0: sqrt(mean((x - mean)^2)). */
export function populationStd(xs: Float64Array): number {
  const n = xs.length;
  if (n === 0) {
    return NaN;
  }
  const mean = accurateSum(xs) / n;
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const dv = (xs[i] as number) - mean;
    const x = dv * dv;
    const t = s + x;
    c += s >= x ? s - t + x : x - t + s;
    s = t;
  }
  return Math.sqrt((s + c) / n);
}

/** Counts of the present values of a column (numbers: finite ones only). */
export function categoricalSample(values: ColumnValues): CategoricalSample {
  const counts = new Map<CategoryValue, number>();
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) {
      continue;
    }
    const key = v as CategoryValue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    n++;
  }
  return { counts, n };
}

/** A numerical sample read as categories: each distinct value with its count. */
export function numericAsCategorical(s: NumericSample): CategoricalSample {
  const counts = new Map<CategoryValue, number>();
  for (let i = 0; i < s.values.length; i++) {
    // -0 and 0 are one category, as they are one value to pandas.
    counts.set((s.values[i] as number) + 0, s.counts[i] as number);
  }
  return { counts, n: s.n };
}

const TYPE_ORDER = { boolean: 0, number: 1, string: 2 } as const;

/**
 * Python's order of category values: False < True, numbers ascending, strings by code point
 * (JavaScript's default string order compares UTF-16 units, which differs above U+FFFF).
 */
export function compareCategories(a: CategoryValue, b: CategoryValue): number {
  const ta = TYPE_ORDER[typeof a as 'boolean' | 'number' | 'string'];
  const tb = TYPE_ORDER[typeof b as 'boolean' | 'number' | 'string'];
  if (ta !== tb) {
    return ta - tb;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    const ia = a[Symbol.iterator]();
    const ib = b[Symbol.iterator]();
    for (;;) {
      const x = ia.next();
      const y = ib.next();
      if (x.done === true || y.done === true) {
        return (x.done === true ? 0 : 1) - (y.done === true ? 0 : 1);
      }
      const cx = x.value.codePointAt(0) ?? 0;
      const cy = y.value.codePointAt(0) ?? 0;
      if (cx !== cy) {
        return cx - cy;
      }
    }
  }
  return Number(a) - Number(b);
}
