// Public surface of src/api, the HTTP contract: schemas and their types, the endpoint table, the error envelope and the client.
export {
  FLOW_RUN_ENDED_STATES,
  FLOW_RUN_STATES,
  HORIZONS,
  isHorizon,
  modelName,
  parseModelName,
  MODEL_KINDS,
  SYMBOL_INPUT_PATTERN,
} from '../core/index.js';
export type {
  ErrorCode,
  Horizon as HorizonValue,
  ModelKind as ModelKindValue,
  TickerSymbol,
} from '../core/index.js';
export * from './client.js';
export * from './data.js';
export * from './endpoint.js';
export * from './endpoints.js';
export * from './errors.js';
export * from './etl.js';
export * from './events.js';
export * from './flows.js';
export * from './models.js';
export * from './monitoring.js';
export * from './overview.js';
export * from './predict.js';
export * from './primitives.js';
export * from './recipes.js';
export * from './system.js';
export * from './tracking.js';
export * from './train.js';
