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

export class EtlRunNotFoundError extends StockopsError {
  constructor(id: string) {
    super('ETL_RUN_NOT_FOUND', `No ETL run with id "${id}".`, { id });
  }
}

export function isStockopsError(e: unknown): e is StockopsError {
  return e instanceof StockopsError;
}
