// Public surface of the Yahoo Finance price source.
export { withBackoff, type BackoffOptions } from './backoff.js';
export { localDate, parseChart, type ChartFn, type ParsedChart } from './chart.js';
export { replayChart, reviveChartJson } from './replay.js';
export { classifyYahooError, YahooPriceSource, type YahooSourceOptions } from './source.js';
