// Ridge regression on standardised features; the penalty is tuned on a purged tail of the training window only.
import { ModelNotFittedError } from '../errors/index.js';
import type { Dataset } from '../features/index.js';
import { applyImputer, sliceRows, type ImputerState } from '../features/index.js';
import {
  checkImputer,
  checkModelJson,
  finiteAt,
  finiteArrayAt,
  invalid,
  objectAt,
  optionalFinite,
} from './json-checks.js';
import { choleskySolve } from './linalg.js';
import {
  checkSignature,
  jsonHeader,
  learnInputs,
  preprocessingOf,
  signatureFromJson,
  type FitSignature,
  type Model,
  type ModelJson,
  type TuningTrial,
} from './model.js';
import { validationSplit } from './validation.js';

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
const FALLBACK_ALPHA = 10;

export class RidgeModel implements Model {
  readonly kind = 'ridge' as const;
  private readonly alphas: readonly number[];
  private readonly validationFraction: number;
  private state: RidgeState | null = null;
  private imputer: ImputerState | null = null;
  private sig: FitSignature = { featureSet: 'basic@1', featureNames: [], horizon: 1 };
  private trials: TuningTrial[] = [];

  constructor(options: RidgeOptions = {}) {
    this.alphas = options.alphas ?? DEFAULT_ALPHAS;
    this.validationFraction = options.validationFraction ?? 0.2;
  }

  params(): Record<string, number | string> {
    return this.state ? { alpha: this.state.alpha } : {};
  }

  tuningTrials(): readonly TuningTrial[] {
    return this.trials;
  }

  preprocessing(): { dropped: string[]; imputed: string[] } {
    return preprocessingOf(this.imputer);
  }

  fit(train: Dataset): void {
    // The imputer (learnInputs), the scaler and alpha are all learned from this training window and nothing else.
    const { sig, imputer, clean } = learnInputs('RidgeModel', train);
    this.sig = sig;
    this.imputer = imputer;
    const alpha = this.chooseAlpha(clean);
    const [state] = fitRidgePath(clean, [alpha]);
    this.state = state ?? null;
  }

  /**
   * Alpha is picked on the last part of the training window, after dropping `horizon` rows whose
   * labels would overlap the validation labels, so the choice never sees the test window.
   */
  private chooseAlpha(train: Dataset): number {
    this.trials = [];
    const split = validationSplit(train.nRows, train.horizon, this.validationFraction);
    if (train.nRows < MIN_ROWS_TO_TUNE || !split || this.alphas.length <= 1) {
      return this.alphas.length === 1 ? (this.alphas[0] ?? FALLBACK_ALPHA) : FALLBACK_ALPHA;
    }
    const fitPart = sliceRows(train, { start: 0, end: split.fitEnd });
    const valPart = sliceRows(train, { start: split.valStart, end: train.nRows });
    const scores = fitRidgePath(fitPart, this.alphas).map((st) => {
      const pred = predictWith(st, valPart);
      let err = 0;
      for (let i = 0; i < valPart.nRows; i++) {
        const d = (pred[i] ?? 0) - (valPart.y?.[i] ?? 0);
        err += d * d;
      }
      return Math.sqrt(err / valPart.nRows);
    });
    // The first of equal scores wins, so the choice is deterministic.
    const best = scores.reduce(
      (b, v, k) => (v < (scores[b] ?? Number.POSITIVE_INFINITY) ? k : b),
      0,
    );
    this.trials = this.alphas.map((a, k) => ({
      params: { alpha: a },
      validationRmse: scores[k] ?? Number.NaN,
      chosen: k === best,
    }));
    return this.alphas[best] ?? FALLBACK_ALPHA;
  }

  predict(ds: Dataset): Float64Array {
    if (!this.state || !this.imputer) {
      throw new ModelNotFittedError('RidgeModel', 'predict');
    }
    checkSignature(this.kind, this.sig, ds);
    return predictWith(this.state, applyImputer(this.imputer, ds));
  }

  toJSON(): ModelJson {
    if (!this.state || !this.imputer) {
      throw new ModelNotFittedError('RidgeModel', 'toJSON');
    }
    return {
      ...jsonHeader('ridge', this.sig),
      params: { alphas: [...this.alphas], validationFraction: this.validationFraction },
      state: { ...this.state, imputer: this.imputer },
    };
  }

  /** Reads a saved ridge model; untrusted input, checked field by field (InvalidModelError). */
  static fromJSON(input: unknown): RidgeModel {
    const json = checkModelJson(input, 'ridge');
    checkRidgeJson(json);
    const p = json.params as { alphas?: number[]; validationFraction?: number };
    const m = new RidgeModel({
      ...(p.alphas ? { alphas: p.alphas } : {}),
      ...(p.validationFraction !== undefined ? { validationFraction: p.validationFraction } : {}),
    });
    m.sig = signatureFromJson(json);
    const { imputer, ...state } = json.state as unknown as RidgeState & {
      imputer?: ImputerState;
    };
    m.state = state;
    // Format 1 files predate the imputer: their inputs were always complete, so it is the identity.
    m.imputer = imputer ?? {
      kept: json.featureNames.map((_, i) => i),
      fill: json.featureNames.map(() => 0),
      dropped: [],
      imputed: [],
    };
    return m;
  }
}

/**
 * What predict reads must be there and finite: one mean, scale (non-zero: it divides) and coefficient per
 * input column, which is a kept column of the imputer or, in format 1 files without one, a feature.
 */
function checkRidgeJson(json: ModelJson): void {
  const params = objectAt(json.params, 'params');
  if (params.alphas !== undefined) {
    finiteArrayAt(params.alphas, 'params.alphas');
  }
  optionalFinite(params, 'params', ['validationFraction']);
  const state = json.state;
  const inputs =
    state.imputer === undefined || state.imputer === null
      ? json.featureNames.length
      : checkImputer(state.imputer, 'state.imputer', json.featureNames.length).kept.length;
  finiteAt(state.alpha, 'state.alpha');
  finiteAt(state.intercept, 'state.intercept');
  finiteArrayAt(state.mean, 'state.mean', inputs);
  finiteArrayAt(state.coef, 'state.coef', inputs);
  finiteArrayAt(state.scale, 'state.scale', inputs).forEach((s, i) => {
    if (s === 0) {
      invalid(`state.scale[${i}]`, 'a non-zero scale', s);
    }
  });
}

/**
 * Fits one ridge per alpha on the same standardised Gram matrix: the O(n p^2) part is done once and
 * each alpha only costs a p x p Cholesky solve.
 */
function fitRidgePath(ds: Dataset, alphas: readonly number[]): RidgeState[] {
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
  // Standardised columns laid out contiguously (column-major), so each Gram entry is one dot product
  // with a register accumulator instead of n read-modify-writes of the p x p matrix.
  const Z = new Float64Array(p * n);
  for (let c = 0; c < p; c++) {
    const m = mean[c] ?? 0;
    const sc = scale[c] ?? 1;
    const off = c * n;
    for (let r = 0; r < n; r++) {
      Z[off + r] = ((X[r * p + c] as number) - m) / sc;
    }
  }
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const oi = i * n;
    let sb = 0;
    for (let r = 0; r < n; r++) {
      sb += (Z[oi + r] as number) * ((y[r] as number) - yMean);
    }
    b[i] = sb;
    for (let j = 0; j <= i; j++) {
      const oj = j * n;
      let s = 0;
      for (let r = 0; r < n; r++) {
        s += (Z[oi + r] as number) * (Z[oj + r] as number);
      }
      A[i * p + j] = s;
      A[j * p + i] = s;
    }
  }
  return alphas.map((alpha) => {
    const Aa = A.slice();
    for (let i = 0; i < p; i++) {
      Aa[i * p + i] = (Aa[i * p + i] ?? 0) + alpha;
    }
    const coef = Array.from(choleskySolve(Aa, b, p));
    return { alpha, mean: [...mean], scale: [...scale], coef, intercept: yMean };
  });
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
