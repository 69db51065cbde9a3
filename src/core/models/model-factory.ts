// Builds a model: a fresh one of a kind with its options (createModel), or a saved one from its JSON (modelFromJSON).
import { DriftModel } from './drift.js';
import { EnsembleModel, type EnsembleOptions, type MemberKind } from './ensemble.js';
import { HistogramGbdtModel, type GbdtOptions } from './gbdt/index.js';
import type { Model, ModelJson, ModelKind } from './model.js';
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
