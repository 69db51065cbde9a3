// Public surface of web/src/components: the page frame and the pieces pages share.
export * from './api-key-field';
export * from './error-banner';
export * from './error-boundary';
export * from './external-link';
export * from './language-switch';
export * from './fold-chart';
export * from './horizon-champions';
export * from './page-shell';
export * from './parameter-fields';
export * from './path-table';
export * from './prediction-card';
export * from './price-chart';
export * from './range-buttons';
export * from './state-badge';
export * from './ticker-select';
export * from './top-nav';
