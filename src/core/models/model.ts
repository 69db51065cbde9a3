// The model contract: fit on a dataset from the feature pipeline, predict log returns, round-trip through JSON.
import type { Dataset } from '../features/index.js';

export type ModelKind = 'naive' | 'ridge';
export const MODEL_KINDS: readonly ModelKind[] = ['naive', 'ridge'];

export interface ModelJson {
  format: 'stockops.model';
  formatVersion: 1;
  kind: ModelKind;
  featureNames: string[];
  horizon: number;
  params: Record<string, unknown>;
  state: Record<string, unknown>;
}

export interface Model {
  readonly kind: ModelKind;
  /** Hyperparameters as chosen (after any tuning inside the training window). */
  params(): Record<string, number | string>;
  fit(train: Dataset): void;
  /** Predicted log return for each row. */
  predict(ds: Dataset): Float64Array;
  toJSON(): ModelJson;
}
