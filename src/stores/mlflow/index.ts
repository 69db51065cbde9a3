// Public surface of the MLflow adapters: the REST client and the Tracker and Registry ports on it.
export {
  LOG_BATCH_LIMITS,
  MlflowApiError,
  MlflowClient,
  toDomainError,
  type MlflowClientOptions,
} from './client.js';
export { MlflowRegistry } from './model-registry.js';
export { MlflowTracker, type MlflowAdapterOptions } from './tracker.js';
