// Public surface of src/server/routes: one register function per resource, and the UI.
export { registerAlertRoutes } from './alerts.js';
export { registerDataRoutes, type DataRouteDeps } from './data.js';
export { registerEtlRoutes, type EtlRouteDeps } from './etl.js';
export { registerFlowRoutes } from './flows.js';
export { registerModelRoutes } from './models.js';
export { registerMonitoringRoutes } from './monitoring.js';
export { registerOverviewRoutes } from './overview.js';
export { registerPredictRoutes, type PredictRouteDeps } from './predict.js';
export { registerRecipeRoutes } from './recipes.js';
export { registerRetrainRoutes } from './retrain.js';
export { registerSystemRoutes, type Readiness, type SystemRouteDeps } from './system.js';
export { registerTrackingRoutes } from './tracking.js';
export { registerTrainRoutes, type TrainRouteDeps } from './train.js';
export { registerUi } from './ui.js';
export { registerLiveRoutes } from './ws.js';
