// The live rows a monitor compares with a model's reference: the most recent bars' features, built with the model's own feature set (the code path training and serving use), and their realised returns where known.
import type { PriceSeries } from '../data/index.js';
import {
  computeFeatureColumns,
  featureSetKey,
  type Dataset,
  type FeatureSet,
} from '../features/index.js';

export interface FeatureWindow {
  /** Bar dates of the rows, ascending: the window is named by its first and last. */
  dates: string[];
  /** The rows as a dataset a model predicts from (no labels). */
  rows: Dataset;
  /** Feature columns by name. */
  columns: Record<string, Float64Array>;
  /** Log return over the horizon after each row; NaN while its bar is not loaded yet. */
  returns: Float64Array;
}

/**
 * The last `size` rows of the series that have their full look-back (fewer when the series is short).
 * A feature that cannot be computed stays NaN, as in training; the drift tests drop it.
 */
export function featureWindow(
  series: PriceSeries,
  set: FeatureSet,
  horizon: number,
  size: number,
): FeatureWindow {
  const n = series.dates.length;
  const from = Math.max(set.lookback, n - Math.max(0, Math.floor(size)));
  const count = Math.max(0, n - from);
  const cols = count > 0 ? computeFeatureColumns(series, set, from) : [];
  const nCols = set.features.length;
  const X = new Float64Array(count * nCols);
  const columns: Record<string, Float64Array> = {};
  set.features.forEach((f, c) => {
    const col = new Float64Array(count);
    for (let r = 0; r < count; r++) {
      const v = cols[c]?.[from + r];
      col[r] = v !== undefined && Number.isFinite(v) ? v : Number.NaN;
      X[r * nCols + c] = col[r] ?? Number.NaN;
    }
    columns[f.name] = col;
  });
  const returns = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    const t = from + r;
    returns[r] =
      t + horizon < n
        ? Math.log(
            (series.adjClose[t + horizon] ?? Number.NaN) / (series.adjClose[t] ?? Number.NaN),
          )
        : Number.NaN;
  }
  const dates = series.dates.slice(from, n);
  return {
    dates,
    rows: {
      featureSet: featureSetKey(set),
      featureNames: set.features.map((f) => f.name),
      dates,
      nRows: count,
      nCols,
      X,
      y: null,
      horizon,
      labelDates: null,
    },
    columns,
    returns,
  };
}
