// Learned missing-value rule: fitted on a training window only, it drops or median-imputes features that are NaN.
import type { Dataset } from './dataset.js';

export interface ImputerOptions {
  /**
   * A column missing on more than this share of training rows is dropped rather than imputed.
   * @defaultValue 0.5
   */
  maxMissingShare?: number;
}

/** What the imputer learned, serialisable as plain JSON. */
export interface ImputerState {
  /** Indices of the input columns kept, in order. */
  kept: number[];
  /** Fill value for each kept column (its training median; 0 when the column was never missing). */
  fill: number[];
  /** Names of the dropped columns, for the run report. */
  dropped: string[];
  /** Names of kept columns that had missing training values and are median-imputed. */
  imputed: string[];
}

/**
 * Learns, from the training rows only, which columns to keep and what to fill a missing value with.
 * Taking a Dataset that the caller has already cut to the training window is the whole contract: the
 * walk-forward never hands it a test row, and the leakage tests check that the state is unchanged when
 * everything after the training window changes.
 */
export function fitImputer(train: Dataset, options: ImputerOptions = {}): ImputerState {
  const maxShare = options.maxMissingShare ?? 0.5;
  const { nRows: n, nCols: p, X } = train;
  const kept: number[] = [];
  const fill: number[] = [];
  const dropped: string[] = [];
  const imputed: string[] = [];
  const values = new Float64Array(n);
  for (let c = 0; c < p; c++) {
    let m = 0;
    for (let r = 0; r < n; r++) {
      const v = X[r * p + c] ?? Number.NaN;
      if (!Number.isNaN(v)) {
        values[m++] = v;
      }
    }
    const name = train.featureNames[c] ?? String(c);
    if (m === 0 || n - m > maxShare * n) {
      dropped.push(name);
      continue;
    }
    kept.push(c);
    if (m === n) {
      fill.push(0);
      continue;
    }
    const sorted = values.subarray(0, m).sort();
    const mid = Math.floor(m / 2);
    fill.push(m % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
    imputed.push(name);
  }
  return { kept, fill, dropped, imputed };
}

/** Applies a fitted rule: the result holds only kept columns and never a NaN. */
export function applyImputer(state: ImputerState, ds: Dataset): Dataset {
  const p = ds.nCols;
  const q = state.kept.length;
  const X = new Float64Array(ds.nRows * q);
  for (let r = 0; r < ds.nRows; r++) {
    for (let k = 0; k < q; k++) {
      const v = ds.X[r * p + (state.kept[k] ?? 0)] ?? Number.NaN;
      X[r * q + k] = Number.isNaN(v) ? (state.fill[k] ?? 0) : v;
    }
  }
  return {
    ...ds,
    featureNames: state.kept.map((c) => ds.featureNames[c] ?? String(c)),
    nCols: q,
    X,
  };
}
