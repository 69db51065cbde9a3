// Public surface of the ClickHouse adapter (the cleaned series as OLAP data).
export { identifier, quote, quoteDate, quoteSymbol } from './escape.js';
export { ClickHouseSeriesStore } from './series-store.js';
