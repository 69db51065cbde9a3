// Public surface of core/errors: the domain error classes, their retry rule and their plain-data form.
export * from './domain-errors.js';
export * from './error-json.js';
export * from './retry.js';
