// Public surface of web/src/hooks: navigation, the API key, mutations and the shared page logic built on react-query.
export * from './use-api-key';
export * from './use-first-start';
export * from './use-flow-run-stream';
export * from './use-live-channel';
export * from './use-location';
export * from './use-mutations';
export * from './use-refresh-on-run-end';
export * from './use-ticker-choice';
