// The model contract: fit on a dataset from the feature pipeline, predict log returns, round-trip through JSON.
import { FeatureMismatchError, MissingLabelsError } from '../errors/index.js';
import { applyImputer, fitImputer, type Dataset, type ImputerState } from '../features/index.js';

export type ModelKind = 'naive' | 'drift' | 'ridge' | 'gbdt' | 'ensemble';
export const MODEL_KINDS: readonly ModelKind[] = ['naive', 'drift', 'ridge', 'gbdt', 'ensemble'];

/** Version of the JSON layout written by toJSON(); readers accept every earlier one. */
export const MODEL_FORMAT_VERSION = 2;

export interface ModelJson {
  format: 'stockops.model';
  /** 1: no featureSet (it was always `basic@1`); 2: records featureSet. */
  formatVersion: 1 | 2;
  kind: ModelKind;
  /** `id@version` of the feature set the model was trained on; serving must build rows with it. */
  featureSet?: string;
  featureNames: string[];
  horizon: number;
  params: Record<string, unknown>;
  state: Record<string, unknown>;
}

/** One hyperparameter setting tried inside a training window, scored on its validation tail. */
export interface TuningTrial {
  params: Record<string, number | string>;
  /** RMSE on the purged validation tail of the training window. */
  validationRmse: number;
  chosen: boolean;
  /** Boosting iterations at the best validation score (early stopping), for models that boost. */
  iterations?: number;
}

export interface Model {
  readonly kind: ModelKind;
  /** Hyperparameters as chosen (after any tuning inside the training window). */
  params(): Record<string, number | string>;
  fit(train: Dataset): void;
  /** Predicted log return for each row. */
  predict(ds: Dataset): Float64Array;
  toJSON(): ModelJson;
  /** The settings tried by the last fit, all inside its training window; empty when nothing is tuned. */
  tuningTrials(): readonly TuningTrial[];
  /** Features the last fit dropped or imputed because they were missing in its training window. */
  preprocessing(): { dropped: string[]; imputed: string[] };
}

/** What every model records about the data it was fitted on; checked again before predicting. */
export interface FitSignature {
  featureSet: string;
  featureNames: string[];
  horizon: number;
}

export const signatureOf = (ds: Dataset): FitSignature => ({
  featureSet: ds.featureSet,
  featureNames: [...ds.featureNames],
  horizon: ds.horizon,
});

/**
 * The first step of every model that reads features: labels are required, and the signature and the
 * imputer are learned from this training window and nothing else. Returns them with the imputed rows.
 */
export function learnInputs(
  model: string,
  train: Dataset,
): { sig: FitSignature; imputer: ImputerState; clean: Dataset } {
  if (!train.y) {
    throw new MissingLabelsError(`${model}.fit`, 'rows without labels');
  }
  const imputer = fitImputer(train);
  return { sig: signatureOf(train), imputer, clean: applyImputer(imputer, train) };
}

/** What a fitted imputer dropped and imputed, as `Model.preprocessing()` reports it (nothing before a fit). */
export const preprocessingOf = (
  imputer: ImputerState | null,
): { dropped: string[]; imputed: string[] } => ({
  dropped: imputer?.dropped ?? [],
  imputed: imputer?.imputed ?? [],
});

/**
 * A model must be served with the feature set and columns it was trained on; anything else would
 * silently feed columns into the wrong coefficients.
 */
export function checkSignature(kind: string, fitted: FitSignature, ds: Dataset): void {
  if (
    fitted.featureSet !== ds.featureSet ||
    fitted.featureNames.length !== ds.featureNames.length ||
    fitted.featureNames.some((n, i) => n !== ds.featureNames[i])
  ) {
    throw new FeatureMismatchError(
      kind,
      { featureSet: fitted.featureSet, features: fitted.featureNames.length },
      { featureSet: ds.featureSet, features: ds.nCols },
    );
  }
}

export function jsonHeader(
  kind: ModelKind,
  sig: FitSignature,
): Pick<
  ModelJson,
  'format' | 'formatVersion' | 'kind' | 'featureSet' | 'featureNames' | 'horizon'
> {
  return {
    format: 'stockops.model',
    formatVersion: MODEL_FORMAT_VERSION,
    kind,
    featureSet: sig.featureSet,
    featureNames: [...sig.featureNames],
    horizon: sig.horizon,
  };
}

export function signatureFromJson(json: ModelJson): FitSignature {
  return {
    featureSet: json.featureSet ?? 'basic@1',
    featureNames: [...json.featureNames],
    horizon: json.horizon,
  };
}
