// Public surface of core/models: the model contract, the built-in models and JSON (de)serialisation.
import type { Model, ModelJson, ModelKind } from './model.js';
import { NaiveModel } from './naive.js';
import { RidgeModel } from './ridge.js';

export * from './model.js';
export { NaiveModel } from './naive.js';
export { RidgeModel, type RidgeOptions } from './ridge.js';

export function createModel(kind: ModelKind): Model {
  switch (kind) {
    case 'naive':
      return new NaiveModel();
    case 'ridge':
      return new RidgeModel();
  }
}

/** Reads a model saved by toJSON(); the input is untrusted JSON, so its header is checked first. */
export function modelFromJSON(json: ModelJson): Model {
  const header = json as { format?: unknown; formatVersion?: unknown };
  if (header.format !== 'stockops.model' || header.formatVersion !== 1) {
    throw new Error(
      `Unsupported model format ${JSON.stringify(header.format)} v${JSON.stringify(header.formatVersion)}`,
    );
  }
  switch (json.kind) {
    case 'naive':
      return NaiveModel.fromJSON(json);
    case 'ridge':
      return RidgeModel.fromJSON(json);
  }
}
