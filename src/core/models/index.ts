// Public surface of core/models: the model contract, the built-in models and JSON (de)serialisation.
import { DriftModel } from './drift.js';
import { EnsembleModel, type EnsembleOptions, type MemberKind } from './ensemble.js';
import { HistogramGbdtModel, type GbdtOptions } from './gbdt/index.js';
import type { Model, ModelJson, ModelKind } from './model.js';
import { NaiveModel } from './naive.js';
import { RidgeModel, type RidgeOptions } from './ridge.js';

export * from './model.js';
export { mulberry32 } from './rng.js';
export { DriftModel } from './drift.js';
export { DEFAULT_ENSEMBLE_MEMBERS, EnsembleModel } from './ensemble.js';
export type { EnsembleOptions, MemberKind } from './ensemble.js';
export {
  binThresholds,
  boost,
  DEFAULT_BOOSTING,
  HistogramGbdtModel,
  predictForest,
} from './gbdt/index.js';
export type { BoostingParams, BoostResult, Forest, GbdtOptions } from './gbdt/index.js';
export { NaiveModel } from './naive.js';
export { RidgeModel, type RidgeOptions } from './ridge.js';
// linalg.ts, rng.ts and validation.ts are private helpers of the models.

/** Per-kind options for createModel; kinds without options ignore them. */
export interface ModelOptions {
  ridge?: RidgeOptions;
  gbdt?: GbdtOptions;
  ensemble?: EnsembleOptions;
}

export function createModel(kind: ModelKind, options: ModelOptions = {}): Model {
  switch (kind) {
    case 'naive':
      return new NaiveModel();
    case 'drift':
      return new DriftModel();
    case 'ridge':
      return new RidgeModel(options.ridge);
    case 'gbdt':
      return new HistogramGbdtModel(options.gbdt);
    case 'ensemble':
      return new EnsembleModel((k: MemberKind) => createModel(k, options), options.ensemble);
  }
}

const KNOWN_KINDS = new Set<string>(['naive', 'drift', 'ridge', 'gbdt', 'ensemble']);

/** Reads a model saved by toJSON(); the input is untrusted JSON, so its header is checked first. */
export function modelFromJSON(json: ModelJson): Model {
  const header = json as { format?: unknown; formatVersion?: unknown; kind?: unknown };
  if (
    header.format !== 'stockops.model' ||
    (header.formatVersion !== 1 && header.formatVersion !== 2)
  ) {
    throw new Error(
      `Unsupported model format ${JSON.stringify(header.format)} v${JSON.stringify(header.formatVersion)}`,
    );
  }
  if (typeof header.kind !== 'string' || !KNOWN_KINDS.has(header.kind)) {
    throw new Error(`Unknown model kind ${JSON.stringify(header.kind)}`);
  }
  switch (json.kind) {
    case 'naive':
      return NaiveModel.fromJSON(json);
    case 'drift':
      return DriftModel.fromJSON(json);
    case 'ridge':
      return RidgeModel.fromJSON(json);
    case 'gbdt':
      return HistogramGbdtModel.fromJSON(json);
    case 'ensemble':
      return EnsembleModel.fromJSON(
        json,
        (k) => createModel(k),
        (member) => modelFromJSON(member),
      );
  }
}
