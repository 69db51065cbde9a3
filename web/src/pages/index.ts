// Public surface of web/src/pages: one component per page, each loaded on demand by app.tsx.
export { DatasetsPage } from './datasets-page';
export { ExperimentsPage } from './experiments-page';
export { FlowsPage } from './flows-page';
export { ForecastPage } from './forecast-page';
export { LivePage } from './live-page';
export { ModelsPage } from './models-page';
export { NotFoundPage } from './not-found-page';
export { OverviewPage } from './overview-page';
export { PredictionsPage } from './predictions-page';
export { RecipesPage } from './recipes-page';
