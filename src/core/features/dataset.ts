// Turns a price series into model-ready rows: features at t, label = log return from t to t+h.
import type { PriceSeries } from '../data/index.js';
import { featureSetKey, type FeatureSet } from './feature-set.js';
import { volatilityForecast } from './volatility.js';

/** Row-major feature matrix with optional labels; rows are consecutive trading days. */
export interface Dataset {
  /** `id@version` of the feature set that built the rows. */
  featureSet: string;
  featureNames: readonly string[];
  /** Date of each row: the information cut-off of its features. */
  dates: readonly string[];
  nRows: number;
  nCols: number;
  /** X[r * nCols + c]; NaN where a feature cannot be computed (models impute or drop it). */
  X: Float64Array;
  /** Log return over `horizon` trading days after each row's date, when known. */
  y: Float64Array | null;
  /** Trading days between a row's date and its label's date. */
  horizon: number;
  /** For each row, the date whose price its label uses (label end): purge reasons about these. */
  labelDates: readonly string[] | null;
  /**
   * Forecast of the daily volatility of log returns over the row's horizon, known at its date
   * (`volatilityForecast`): what conformal scores are scaled by. Models never read it. Absent on rows
   * not built from a price series.
   */
  volatility?: Float64Array;
}

export interface BuiltData {
  /** Rows with complete features and a known label: what models train and are evaluated on. */
  labeled: Dataset;
  /** The most recent row (features only): what serving predicts from. */
  latest: Dataset;
  latestClose: number;
  latestDate: string;
}

export function sliceRows(
  ds: Dataset,
  rows: readonly number[] | { start: number; end: number },
): Dataset {
  const idx: readonly number[] =
    'start' in rows
      ? Array.from({ length: Math.max(0, rows.end - rows.start) }, (_, i) => rows.start + i)
      : rows;
  const X = new Float64Array(idx.length * ds.nCols);
  const y = ds.y ? new Float64Array(idx.length) : null;
  const volatility = ds.volatility ? new Float64Array(idx.length) : undefined;
  idx.forEach((r, i) => {
    X.set(ds.X.subarray(r * ds.nCols, (r + 1) * ds.nCols), i * ds.nCols);
    if (y && ds.y) {
      y[i] = ds.y[r] ?? Number.NaN;
    }
    if (volatility && ds.volatility) {
      volatility[i] = ds.volatility[r] ?? Number.NaN;
    }
  });
  return {
    featureSet: ds.featureSet,
    featureNames: ds.featureNames,
    dates: idx.map((r) => ds.dates[r] ?? ''),
    labelDates: ds.labelDates ? idx.map((r) => ds.labelDates?.[r] ?? '') : null,
    nRows: idx.length,
    nCols: ds.nCols,
    X,
    y,
    horizon: ds.horizon,
    ...(volatility ? { volatility } : {}),
  };
}

/**
 * Computes every feature column once; the same code path serves training and the live row. Values
 * before index `from` may be left NaN (see FeatureSpec.compute).
 */
export function computeFeatureColumns(
  series: PriceSeries,
  set: FeatureSet,
  from = 0,
): Float64Array[] {
  return set.features.map((f) => f.compute(series, from));
}

export interface BuildOptions {
  /**
   * First series index to emit a labeled row for (rows before the look-back never are). Serving
   * passes the first row it has not seen, or the last index for the live row alone, and skips the
   * feature windows of every earlier row.
   * @defaultValue 0
   */
  from?: number;
}

export function buildDataset(
  series: PriceSeries,
  set: FeatureSet,
  horizon: number,
  options: BuildOptions = {},
): BuiltData {
  const n = series.dates.length;
  // Rows before the look-back are incomplete by construction and are not emitted. After it a feature
  // may still be undefined (no volume, a constant window): it stays NaN, and the model's imputer,
  // fitted on its training window only, decides what to do with it. Infinity is never a value.
  const first = Math.max(set.lookback, Math.min(options.from ?? 0, n - 1));
  const cols = computeFeatureColumns(series, set, first);
  const vol = volatilityForecast(series.adjClose, horizon, first);
  const nCols = cols.length;
  const labeledEnd = n - horizon;
  const labeledRows = Math.max(0, labeledEnd - first);
  const X = new Float64Array(labeledRows * nCols);
  const y = new Float64Array(labeledRows);
  const volatility = new Float64Array(labeledRows);
  const dates: string[] = [];
  const labelDates: string[] = [];
  for (let t = first; t < labeledEnd; t++) {
    const r = t - first;
    for (let c = 0; c < nCols; c++) {
      X[r * nCols + c] = finiteOrNaN(cols[c]?.[t]);
    }
    y[r] = Math.log(
      (series.adjClose[t + horizon] ?? Number.NaN) / (series.adjClose[t] ?? Number.NaN),
    );
    volatility[r] = vol[t] ?? Number.NaN;
    dates.push(series.dates[t] ?? '');
    labelDates.push(series.dates[t + horizon] ?? '');
  }
  const last = n - 1;
  const latestX = new Float64Array(nCols);
  if (last >= first) {
    for (let c = 0; c < nCols; c++) {
      latestX[c] = finiteOrNaN(cols[c]?.[last]);
    }
  }
  const featureNames = set.features.map((f) => f.name);
  const key = featureSetKey(set);
  return {
    labeled: {
      featureSet: key,
      featureNames,
      dates,
      labelDates,
      nRows: labeledRows,
      nCols,
      X,
      y,
      horizon,
      volatility,
    },
    latest: {
      featureSet: key,
      featureNames,
      dates: [series.dates[last] ?? ''],
      labelDates: null,
      nRows: last >= first ? 1 : 0,
      nCols,
      X: latestX,
      y: null,
      horizon,
      volatility: Float64Array.of(last >= first ? (vol[last] ?? Number.NaN) : Number.NaN),
    },
    latestClose: series.close[last] ?? Number.NaN,
    latestDate: series.dates[last] ?? '',
  };
}

const finiteOrNaN = (v: number | undefined): number =>
  v !== undefined && Number.isFinite(v) ? v : Number.NaN;
