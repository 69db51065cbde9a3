// Builds a model: a fresh one of a kind with its options (createModel), or a saved one from its JSON (modelFromJSON).
import { DriftModel } from './drift.js';
import { EnsembleModel, type EnsembleOptions, type MemberKind } from './ensemble.js';
import { HistogramGbdtModel, type GbdtOptions } from './gbdt/index.js';
import { checkModelJson } from './json-checks.js';
import type { Model, ModelKind } from './model.js';
import { NaiveModel } from './naive.js';
import { RidgeModel, type RidgeOptions } from './ridge.js';

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

/**
 * Reads a model saved by toJSON(). The input is untrusted JSON (a stored artifact, a file): anything but a
 * well-formed model of a known kind and format version is an InvalidModelError naming the field.
 */
export function modelFromJSON(input: unknown): Model {
  const json = checkModelJson(input, null);
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
