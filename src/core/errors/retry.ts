// Which failures a flow task may retry: decided by the error's code, so every runner and thread agrees.
import { isStockopsError, SourceError, type ErrorCode } from './domain-errors.js';

/** Codes a retry with the same inputs cannot change: the input, the data present or the configuration is wrong. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNKNOWN_TICKER',
  'INVALID_INPUT',
  'INVALID_CSV',
  'INSUFFICIENT_HISTORY',
  'UNAUTHORIZED',
  'CONFIG_ERROR',
  'FLOW_NOT_FOUND',
  'SCHEDULE_NOT_FOUND',
  'INVALID_MODEL',
  'UNKNOWN_FEATURE_SET',
  'FEATURE_MISMATCH',
  'MODEL_NOT_FITTED',
  'MISSING_LABELS',
  'TOO_MANY_ROWS',
  'SINGULAR_MATRIX',
  'BARS_OUT_OF_ORDER',
  'FLOW_CATALOG_MISMATCH',
  'IMPORT_REFUSED',
]);

/**
 * Whether a task that failed with `e` may succeed on a retry. Unknown errors, busy stores, conflicts
 * and a source's rate limits or outages may; a bad input or a symbol the source does not know may not.
 */
export function isRetryable(e: unknown): boolean {
  if (!isStockopsError(e)) {
    return true;
  }
  if (e instanceof SourceError) {
    return e.kind === 'rate_limited' || e.kind === 'unavailable';
  }
  // Decided per ticker when the run failed (errors that crossed a thread keep it in details).
  if (e.code === 'ETL_FAILED') {
    return e.details?.retryable !== false;
  }
  return !PERMANENT.has(e.code);
}
