// The histogram GBDT model: tunes on a purged validation tail, refits, predicts and round-trips through JSON.
import { ModelNotFittedError } from '../../errors/index.js';
import type { Dataset } from '../../features/index.js';
import { applyImputer, sliceRows, type ImputerState } from '../../features/index.js';
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
} from '../model.js';
import {
  booleanAt,
  checkImputer,
  checkModelJson,
  finiteArrayAt,
  objectAt,
  optionalFinite,
} from '../json-checks.js';
import { validationSplit } from '../validation.js';
import { boost } from './boost.js';
import { checkBoostingParams, DEFAULT_BOOSTING, type BoostingParams } from './boosting-params.js';
import { checkForest, predictForest, type Forest } from './forest.js';

export interface GbdtOptions extends Partial<BoostingParams> {
  /**
   * Stop adding trees when the purged validation tail of the training window stops improving, then
   * refit on the whole window with the best number of trees.
   * @defaultValue true
   */
  earlyStopping?: boolean;
  /**
   * Share of the training window held out (at its end) for early stopping and tuning.
   * @defaultValue 0.2
   */
  validationFraction?: number;
  /**
   * Iterations without improvement before stopping.
   * @defaultValue 10
   */
  nIterNoChange?: number;
  /**
   * Hyperparameter values tried on the validation tail (every combination); the best is refitted.
   * @defaultValue { maxLeafNodes: [7, 31], minSamplesLeaf: [20, 100] }
   */
  grid?: Partial<
    Record<'learningRate' | 'maxLeafNodes' | 'minSamplesLeaf' | 'l2Regularization', number[]>
  >;
}

const DEFAULT_GRID: NonNullable<GbdtOptions['grid']> = {
  maxLeafNodes: [7, 31],
  minSamplesLeaf: [20, 100],
};

type GridKey = keyof NonNullable<GbdtOptions['grid']>;

function gridCombos(base: BoostingParams, grid: NonNullable<GbdtOptions['grid']>) {
  let combos: BoostingParams[] = [base];
  for (const key of Object.keys(grid) as GridKey[]) {
    const values = grid[key] ?? [];
    if (values.length === 0) {
      continue;
    }
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  return combos;
}

const asRows = (ds: Dataset) => ({
  X: ds.X,
  y: ds.y ?? new Float64Array(ds.nRows),
  n: ds.nRows,
  p: ds.nCols,
});

export class HistogramGbdtModel implements Model {
  readonly kind = 'gbdt' as const;
  private readonly base: BoostingParams;
  private readonly earlyStopping: boolean;
  private readonly validationFraction: number;
  private readonly nIterNoChange: number;
  private readonly grid: NonNullable<GbdtOptions['grid']>;
  private chosen: BoostingParams | null = null;
  private forest: Forest | null = null;
  private imputer: ImputerState | null = null;
  private sig: FitSignature = { featureSet: 'basic@1', featureNames: [], horizon: 1 };
  private trials: TuningTrial[] = [];

  constructor(options: GbdtOptions = {}) {
    const { earlyStopping, validationFraction, nIterNoChange, grid, ...params } = options;
    this.base = { ...DEFAULT_BOOSTING, ...params };
    this.earlyStopping = earlyStopping ?? true;
    this.validationFraction = validationFraction ?? 0.2;
    this.nIterNoChange = nIterNoChange ?? 10;
    this.grid = grid ?? DEFAULT_GRID;
  }

  params(): Record<string, number | string> {
    const c = this.chosen;
    return c
      ? {
          maxIter: c.maxIter,
          learningRate: c.learningRate,
          maxLeafNodes: c.maxLeafNodes,
          minSamplesLeaf: c.minSamplesLeaf,
          l2Regularization: c.l2Regularization,
          subsample: c.subsample,
          trees: this.forest?.trees.length ?? 0,
        }
      : {};
  }

  tuningTrials(): readonly TuningTrial[] {
    return this.trials;
  }

  preprocessing(): { dropped: string[]; imputed: string[] } {
    return preprocessingOf(this.imputer);
  }

  fit(train: Dataset): void {
    const { sig, imputer, clean } = learnInputs('HistogramGbdtModel', train);
    this.sig = sig;
    this.imputer = imputer;
    this.trials = [];
    const combos = gridCombos(this.base, this.grid);
    const split = this.earlyStopping
      ? validationSplit(clean.nRows, clean.horizon, this.validationFraction)
      : null;
    if (!split) {
      // Too short to validate (or asked not to): the first setting, all iterations, no tuning.
      this.chosen = combos[0] ?? this.base;
      this.forest = boost(asRows(clean), this.chosen).forest;
      return;
    }
    const fitPart = asRows(sliceRows(clean, { start: 0, end: split.fitEnd }));
    const valPart = sliceRows(clean, { start: split.valStart, end: clean.nRows });
    const validation = {
      X: valPart.X,
      y: valPart.y ?? new Float64Array(valPart.nRows),
      n: valPart.nRows,
      nIterNoChange: this.nIterNoChange,
    };
    const results = combos.map((c) => {
      const r = boost(fitPart, c, validation);
      return { params: c, bestIter: r.bestIter, score: r.validationCurve[r.bestIter] ?? Infinity };
    });
    const best = results.reduce(
      (b, r, k) => (r.score < (results[b]?.score ?? Infinity) ? k : b),
      0,
    );
    this.trials = results.map((r, k) => ({
      params: {
        learningRate: r.params.learningRate,
        maxLeafNodes: r.params.maxLeafNodes,
        minSamplesLeaf: r.params.minSamplesLeaf,
        l2Regularization: r.params.l2Regularization,
      },
      validationRmse: r.score,
      chosen: k === best,
      iterations: r.bestIter,
    }));
    const winner = results[best];
    this.chosen = { ...(winner?.params ?? this.base), maxIter: winner?.bestIter ?? 0 };
    this.forest = boost(asRows(clean), this.chosen).forest;
  }

  predict(ds: Dataset): Float64Array {
    if (!this.forest || !this.imputer) {
      throw new ModelNotFittedError('HistogramGbdtModel', 'predict');
    }
    checkSignature(this.kind, this.sig, ds);
    const clean = applyImputer(this.imputer, ds);
    return predictForest(this.forest, clean.X, clean.nRows, clean.nCols);
  }

  toJSON(): ModelJson {
    if (!this.forest || !this.imputer || !this.chosen) {
      throw new ModelNotFittedError('HistogramGbdtModel', 'toJSON');
    }
    return {
      ...jsonHeader('gbdt', this.sig),
      params: {
        base: this.base,
        earlyStopping: this.earlyStopping,
        validationFraction: this.validationFraction,
        nIterNoChange: this.nIterNoChange,
        grid: this.grid,
      },
      state: { chosen: this.chosen, imputer: this.imputer, forest: this.forest },
    };
  }

  /** Reads a saved GBDT; untrusted input, checked field by field (InvalidModelError). */
  static fromJSON(input: unknown): HistogramGbdtModel {
    const json = checkModelJson(input, 'gbdt');
    checkGbdtJson(json);
    const p = json.params as {
      base: BoostingParams;
      earlyStopping: boolean;
      validationFraction: number;
      nIterNoChange: number;
      grid: NonNullable<GbdtOptions['grid']>;
    };
    const m = new HistogramGbdtModel({
      ...p.base,
      earlyStopping: p.earlyStopping,
      validationFraction: p.validationFraction,
      nIterNoChange: p.nIterNoChange,
      grid: p.grid,
    });
    const st = json.state as { chosen: BoostingParams; imputer: ImputerState; forest: Forest };
    m.sig = signatureFromJson(json);
    m.chosen = st.chosen;
    m.imputer = st.imputer;
    m.forest = st.forest;
    return m;
  }
}

/**
 * The settings and the fitted state of a saved GBDT: settings are optional where defaults exist; the
 * chosen setting, the imputer and a forest over the imputer's kept columns are required.
 */
function checkGbdtJson(json: ModelJson): void {
  const params = json.params;
  if (params.base !== undefined) {
    checkBoostingParams(params.base, 'params.base');
  }
  if (params.earlyStopping !== undefined) {
    booleanAt(params.earlyStopping, 'params.earlyStopping');
  }
  optionalFinite(params, 'params', ['validationFraction', 'nIterNoChange']);
  if (params.grid !== undefined) {
    const grid = objectAt(params.grid, 'params.grid');
    for (const [key, values] of Object.entries(grid)) {
      finiteArrayAt(values, `params.grid.${key}`);
    }
  }
  checkBoostingParams(json.state.chosen, 'state.chosen');
  const imputer = checkImputer(json.state.imputer, 'state.imputer', json.featureNames.length);
  checkForest(json.state.forest, 'state.forest', imputer.kept.length);
}
