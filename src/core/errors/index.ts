// Domain errors: one class per failure meaning, each with a stable code that the server maps to HTTP in one place.

/** Stable machine-readable error codes. Never rename one: clients match on them. */
export type ErrorCode =
  | 'UNKNOWN_TICKER'
  | 'INVALID_INPUT'
  | 'INVALID_CSV'
  | 'INSUFFICIENT_HISTORY'
  | 'MODEL_NOT_FOUND'
  | 'RUN_NOT_FOUND'
  | 'ARTIFACT_NOT_FOUND'
  | 'JOB_NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'CONFIG_ERROR'
  | 'STORE_BUSY'
  | 'CONFLICT'
  | 'FLOW_NOT_FOUND'
  | 'FLOW_RUN_NOT_FOUND'
  | 'SCHEDULE_NOT_FOUND'
  | 'SOURCE_ERROR'
  | 'ETL_RUN_NOT_FOUND';

export class StockopsError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export class UnknownTickerError extends StockopsError {
  constructor(symbol: string) {
    super('UNKNOWN_TICKER', `Unknown ticker "${symbol}": no price history is stored for it.`, {
      symbol,
    });
  }
}

export class InvalidInputError extends StockopsError {
  constructor(field: string, message: string) {
    super('INVALID_INPUT', `${field}: ${message}`, { field });
  }
}

export class InvalidCsvError extends StockopsError {
  constructor(message: string) {
    super('INVALID_CSV', message);
  }
}

export class InsufficientHistoryError extends StockopsError {
  constructor(symbol: string, needed: number, found: number) {
    super(
      'INSUFFICIENT_HISTORY',
      `Ticker "${symbol}" has ${found} usable rows; at least ${needed} are needed.`,
      { symbol, needed, found },
    );
  }
}

export class ModelNotFoundError extends StockopsError {
  constructor(what: string) {
    super('MODEL_NOT_FOUND', `No model found: ${what}.`);
  }
}

export class RunNotFoundError extends StockopsError {
  constructor(id: string) {
    super('RUN_NOT_FOUND', `No tracked run with id "${id}".`, { id });
  }
}

export class ArtifactNotFoundError extends StockopsError {
  constructor(key: string) {
    super('ARTIFACT_NOT_FOUND', `No artifact at "${key}".`, { key });
  }
}

export class JobNotFoundError extends StockopsError {
  constructor(id: string) {
    super('JOB_NOT_FOUND', `No job with id "${id}".`, { id });
  }
}

export class UnauthorizedError extends StockopsError {
  constructor() {
    super('UNAUTHORIZED', 'This route changes state and needs a valid x-api-key header.');
  }
}

export class ConfigError extends StockopsError {
  constructor(message: string) {
    super('CONFIG_ERROR', message);
  }
}

export class StoreBusyError extends StockopsError {
  constructor(message: string) {
    super('STORE_BUSY', message);
  }
}

export class ConflictError extends StockopsError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

export class FlowNotFoundError extends StockopsError {
  constructor(name: string, known: readonly string[]) {
    super('FLOW_NOT_FOUND', `No flow named "${name}"; known flows: ${known.join(', ')}.`, { name });
  }
}

export class FlowRunNotFoundError extends StockopsError {
  constructor(id: string) {
    super('FLOW_RUN_NOT_FOUND', `No flow run with id "${id}".`, { id });
  }
}

export class ScheduleNotFoundError extends StockopsError {
  constructor(id: string, known: readonly string[]) {
    super('SCHEDULE_NOT_FOUND', `No schedule "${id}"; known schedules: ${known.join(', ')}.`, {
      id,
    });
  }
}

/** Why a price source failed for one ticker; the ETL reports it per ticker and goes on with the others. */
export type SourceErrorKind = 'rate_limited' | 'schema' | 'not_found' | 'unavailable';

export class SourceError extends StockopsError {
  readonly kind: SourceErrorKind;
  constructor(kind: SourceErrorKind, symbol: string, message: string) {
    super('SOURCE_ERROR', `${symbol}: ${message}`, { kind, symbol });
    this.kind = kind;
  }
}

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
  return !PERMANENT.has(e.code);
}

export class EtlRunNotFoundError extends StockopsError {
  constructor(id: string) {
    super('ETL_RUN_NOT_FOUND', `No ETL run with id "${id}".`, { id });
  }
}

export function isStockopsError(e: unknown): e is StockopsError {
  return e instanceof StockopsError;
}

/** An error as plain data, e.g. to cross a worker-thread boundary; `errorFromJSON` gives back its class. */
export interface ErrorJson {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  details?: Record<string, unknown>;
  /** SourceError's failure kind. */
  kind?: string;
}

/** Every domain error class by name, so an error revived from JSON keeps its class (and `instanceof`). */
const DOMAIN_ERRORS: Readonly<Record<string, { prototype: StockopsError }>> = {
  StockopsError,
  UnknownTickerError,
  InvalidInputError,
  InvalidCsvError,
  InsufficientHistoryError,
  ModelNotFoundError,
  RunNotFoundError,
  ArtifactNotFoundError,
  JobNotFoundError,
  UnauthorizedError,
  ConfigError,
  StoreBusyError,
  ConflictError,
  FlowNotFoundError,
  FlowRunNotFoundError,
  ScheduleNotFoundError,
  SourceError,
  EtlRunNotFoundError,
};

const BUILT_IN_ERRORS: Readonly<Record<string, new (message: string) => Error>> = {
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
};

export function errorToJSON(e: unknown): ErrorJson {
  if (!(e instanceof Error)) {
    return { name: 'Error', message: String(e) };
  }
  const extra = e as Error & { code?: unknown; details?: unknown; kind?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
    ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
    ...(extra.details !== null && typeof extra.details === 'object'
      ? { details: extra.details as Record<string, unknown> }
      : {}),
    ...(typeof extra.kind === 'string' ? { kind: extra.kind } : {}),
  };
}

/**
 * Rebuilds an error from `errorToJSON`: a domain error gets its own class back (same name, code, details
 * and message) without calling its constructor, whose parameters differ per class.
 */
export function errorFromJSON(j: ErrorJson): Error {
  const domain = Object.hasOwn(DOMAIN_ERRORS, j.name) ? DOMAIN_ERRORS[j.name] : undefined;
  const builtIn = Object.hasOwn(BUILT_IN_ERRORS, j.name) ? BUILT_IN_ERRORS[j.name] : undefined;
  const e = new (builtIn ?? Error)(j.message);
  if (domain) {
    Object.setPrototypeOf(e, domain.prototype);
  }
  const own = (key: string, value: unknown) => {
    Object.defineProperty(e, key, { value, writable: true, enumerable: true, configurable: true });
  };
  if (domain || !builtIn) {
    own('name', j.name);
  }
  if (j.code !== undefined) {
    own('code', j.code);
  }
  if (domain) {
    own('details', j.details);
  }
  if (j.kind !== undefined) {
    own('kind', j.kind);
  }
  if (j.stack !== undefined) {
    Object.defineProperty(e, 'stack', { value: j.stack, writable: true, configurable: true });
  }
  return e;
}
