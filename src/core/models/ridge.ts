// Ridge regression on standardised features; the penalty is tuned on a purged tail of the training window only.
import type { Dataset } from '../features/index.js';
import { sliceRows } from '../features/index.js';
import { choleskySolve } from './linalg.js';
import type { Model, ModelJson } from './model.js';

export interface RidgeOptions {
  /**
   * Penalties tried on the validation tail; the winner is refitted on the whole training window.
   * @defaultValue [0.1, 1, 10, 100, 1000, 10000, 100000]
   */
  alphas?: readonly number[];
  /**
   * Share of the training window held out (at its end) to choose alpha.
   * @defaultValue 0.2
   */
  validationFraction?: number;
}

interface RidgeState {
  alpha: number;
  mean: number[];
  scale: number[];
  coef: number[];
  intercept: number;
}

const DEFAULT_ALPHAS = [0.1, 1, 10, 100, 1000, 10000, 100000];
/** Below this many rows a validation tail says nothing; a fixed moderate penalty is used. */
const MIN_ROWS_TO_TUNE = 60;

export class RidgeModel implements Model {
  readonly kind = 'ridge' as const;
  private readonly alphas: readonly number[];
  private readonly validationFraction: number;
  private state: RidgeState | null = null;
  private featureNames: string[] = [];
  private horizon = 1;

  constructor(options: RidgeOptions = {}) {
    this.alphas = options.alphas ?? DEFAULT_ALPHAS;
    this.validationFraction = options.validationFraction ?? 0.2;
  }

  params(): Record<string, number | string> {
    return this.state ? { alpha: this.state.alpha } : {};
  }

  fit(train: Dataset): void {
    if (!train.y) {
      throw new Error('RidgeModel.fit needs labels');
    }
    this.featureNames = [...train.featureNames];
    this.horizon = train.horizon;
    const alpha = this.chooseAlpha(train);
    this.state = fitRidge(train, alpha);
  }

  /**
   * Alpha is picked on the last part of the training window, after dropping `horizon` rows whose
   * labels would overlap the validation labels, so the choice never sees the test window.
   */
  private chooseAlpha(train: Dataset): number {
    const n = train.nRows;
    const nVal = Math.floor(n * this.validationFraction);
    const nFit = n - nVal - train.horizon;
    if (n < MIN_ROWS_TO_TUNE || nFit < 20 || nVal < 10 || this.alphas.length === 1) {
      return this.alphas.length === 1 ? (this.alphas[0] ?? 10) : 10;
    }
    const fitPart = sliceRows(train, { start: 0, end: nFit });
    const valPart = sliceRows(train, { start: n - nVal, end: n });
    let best = this.alphas[0] ?? 10;
    let bestErr = Number.POSITIVE_INFINITY;
    for (const a of this.alphas) {
      const pred = predictWith(fitRidge(fitPart, a), valPart);
      let err = 0;
      for (let i = 0; i < valPart.nRows; i++) {
        const d = (pred[i] ?? 0) - (valPart.y?.[i] ?? 0);
        err += d * d;
      }
      if (err < bestErr) {
        bestErr = err;
        best = a;
      }
    }
    return best;
  }

  predict(ds: Dataset): Float64Array {
    if (!this.state) {
      throw new Error('RidgeModel.predict before fit');
    }
    return predictWith(this.state, ds);
  }

  toJSON(): ModelJson {
    if (!this.state) {
      throw new Error('RidgeModel.toJSON before fit');
    }
    return {
      format: 'stockops.model',
      formatVersion: 1,
      kind: 'ridge',
      featureNames: this.featureNames,
      horizon: this.horizon,
      params: { alphas: [...this.alphas], validationFraction: this.validationFraction },
      state: { ...this.state },
    };
  }

  static fromJSON(json: ModelJson): RidgeModel {
    const p = json.params as { alphas?: number[]; validationFraction?: number };
    const m = new RidgeModel({
      ...(p.alphas ? { alphas: p.alphas } : {}),
      ...(p.validationFraction !== undefined ? { validationFraction: p.validationFraction } : {}),
    });
    m.featureNames = [...json.featureNames];
    m.horizon = json.horizon;
    m.state = json.state as unknown as RidgeState;
    return m;
  }
}

function fitRidge(ds: Dataset, alpha: number): RidgeState {
  const { nRows: n, nCols: p, X } = ds;
  const y = ds.y ?? new Float64Array(n);
  const mean = new Array<number>(p).fill(0);
  const scale = new Array<number>(p).fill(0);
  for (let c = 0; c < p; c++) {
    let s = 0;
    for (let r = 0; r < n; r++) {
      s += X[r * p + c] ?? 0;
    }
    const m = s / n;
    let ss = 0;
    for (let r = 0; r < n; r++) {
      const d = (X[r * p + c] ?? 0) - m;
      ss += d * d;
    }
    const sd = Math.sqrt(ss / n);
    mean[c] = m;
    // A constant column carries no information; a unit scale keeps it at zero instead of dividing by 0.
    scale[c] = sd > 1e-12 ? sd : 1;
  }
  let ySum = 0;
  for (let r = 0; r < n; r++) {
    ySum += y[r] ?? 0;
  }
  const yMean = ySum / n;
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  const z = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < p; c++) {
      z[c] = ((X[r * p + c] ?? 0) - (mean[c] ?? 0)) / (scale[c] ?? 1);
    }
    const yr = (y[r] ?? 0) - yMean;
    for (let i = 0; i < p; i++) {
      const zi = z[i] ?? 0;
      b[i] = (b[i] ?? 0) + zi * yr;
      for (let j = 0; j <= i; j++) {
        A[i * p + j] = (A[i * p + j] ?? 0) + zi * (z[j] ?? 0);
      }
    }
  }
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) {
      A[j * p + i] = A[i * p + j] ?? 0;
    }
    A[i * p + i] = (A[i * p + i] ?? 0) + alpha;
  }
  const coef = Array.from(choleskySolve(A, b, p));
  return { alpha, mean, scale, coef, intercept: yMean };
}

function predictWith(s: RidgeState, ds: Dataset): Float64Array {
  const p = ds.nCols;
  const out = new Float64Array(ds.nRows);
  for (let r = 0; r < ds.nRows; r++) {
    let v = s.intercept;
    for (let c = 0; c < p; c++) {
      v += (((ds.X[r * p + c] ?? 0) - (s.mean[c] ?? 0)) / (s.scale[c] ?? 1)) * (s.coef[c] ?? 0);
    }
    out[r] = v;
  }
  return out;
}
