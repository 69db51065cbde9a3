// Public surface of web/src/lib: the API client, react-query keys and options, routes, formatters and pure helpers.
export * from './api-client';
export * from './api-key-store';
export * from './chart-data';
export * from './csv';
export * from './flow-runs';
export * from './format';
export * from './live-socket';
export * from './live-state';
export * from './mlflow-links';
export * from './queries';
export * from './query-client';
export * from './registry';
export * from './routes';
