// Public surface of web/src/pages: one component per route.
export * from './experiments-page';
export * from './flows-page';
export * from './forecast-page';
export * from './live-page';
export * from './models-page';
export * from './not-found-page';
