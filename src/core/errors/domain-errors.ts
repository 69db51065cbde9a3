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
  | 'ETL_RUN_NOT_FOUND'
  | 'ETL_FAILED'
  | 'INVALID_MODEL'
  | 'UNKNOWN_FEATURE_SET'
  | 'FEATURE_MISMATCH'
  | 'MODEL_NOT_FITTED'
  | 'MISSING_LABELS'
  | 'TOO_MANY_ROWS'
  | 'SINGULAR_MATRIX'
  | 'BARS_OUT_OF_ORDER'
  | 'RESOURCE_CLOSED'
  | 'NO_HANDLER'
  | 'JOB_TIMEOUT'
  | 'FLOW_CATALOG_MISMATCH'
  | 'INTERNAL_INVARIANT'
  | 'REPORT_NOT_FOUND'
  | 'ALERT_NOT_FOUND'
  | 'LOCK_TIMEOUT'
  | 'APPROVAL_NOT_FOUND'
  | 'APPROVAL_NOT_PENDING'
  | 'RECIPE_NOT_FOUND';

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

/** An ETL run in which every ticker failed; the message says why for each one. */
export class EtlFailedError extends StockopsError {
  constructor(
    runId: string,
    failures: readonly { symbol: string; step: string; message: string }[],
  ) {
    super(
      'ETL_FAILED',
      `ETL run ${runId} failed for every ticker: ${failures
        .map((f) => `${f.symbol} (${f.step}): ${f.message}`)
        .join('; ')}`,
      { runId },
    );
  }
}

export class EtlRunNotFoundError extends StockopsError {
  constructor(id: string) {
    super('ETL_RUN_NOT_FOUND', `No ETL run with id "${id}".`, { id });
  }
}

/**
 * A saved model that cannot be read: its JSON comes from outside the process (a stored artifact, an MLflow
 * run, a file), so every field is checked before it is trusted. `path` names the field, e.g.
 * `state.forest.trees[3].left[5]`.
 */
export class InvalidModelError extends StockopsError {
  constructor(path: string, expected: string, found: string) {
    super(
      'INVALID_MODEL',
      `Model JSON is invalid at ${path}: expected ${expected}, found ${found}.`,
      {
        path,
        expected,
        found,
      },
    );
  }
}

export class UnknownFeatureSetError extends StockopsError {
  constructor(key: string, known: readonly string[]) {
    super(
      'UNKNOWN_FEATURE_SET',
      `Unknown feature set "${key}": expected one of ${known.join(', ')}.`,
      { featureSet: key, known: [...known] },
    );
  }
}

/** Rows built by another feature set (or other columns) than the model was trained on. */
export class FeatureMismatchError extends StockopsError {
  constructor(
    model: string,
    trained: { featureSet: string; features: number },
    got: { featureSet: string; features: number },
  ) {
    super(
      'FEATURE_MISMATCH',
      `${model} model was trained on ${trained.featureSet} (${trained.features} features): expected rows with ` +
        `those columns, found rows of ${got.featureSet} (${got.features} features).`,
      { trained, got },
    );
  }
}

/** A model used (predict, toJSON) before it was fitted or read from JSON: a caller's mistake, not a user's. */
export class ModelNotFittedError extends StockopsError {
  constructor(model: string, method: string) {
    super(
      'MODEL_NOT_FITTED',
      `${model}.${method} needs a fitted model; this one was neither fitted nor read from JSON.`,
      { model, method },
    );
  }
}

/** A fit or an evaluation given rows without labels; the feature pipeline's `labeled` rows always have them. */
export class MissingLabelsError extends StockopsError {
  constructor(who: string, found: string) {
    super('MISSING_LABELS', `${who} needs labeled rows; found ${found}.`, { who });
  }
}

export class TooManyRowsError extends StockopsError {
  constructor(what: string, max: number, found: number) {
    super('TOO_MANY_ROWS', `${what} takes at most ${max} rows; found ${found}.`, { max, found });
  }
}

/** A linear system that has no unique solution, e.g. ridge with no penalty on collinear features. */
export class SingularMatrixError extends StockopsError {
  constructor(what: string, found: string) {
    super('SINGULAR_MATRIX', `${what}: expected a positive definite matrix; found ${found}.`);
  }
}

export class BarsOutOfOrderError extends StockopsError {
  constructor(symbol: string, index: number, previous: string, date: string) {
    super(
      'BARS_OUT_OF_ORDER',
      `Bars of ${symbol} must be strictly increasing by date; found ${date} after ${previous} at index ${index}.`,
      { symbol, index, previous, date },
    );
  }
}

/** A fit pool or a job queue used after close(): the process is shutting down, another one may take the work. */
export class ResourceClosedError extends StockopsError {
  constructor(resource: string, when: string) {
    super('RESOURCE_CLOSED', `${resource} is closed (${when}); it takes no more work.`, {
      resource,
    });
  }
}

/** A job name that this queue (or this worker) has no handler for. */
export class NoHandlerError extends StockopsError {
  constructor(job: string, where: string, known: readonly string[]) {
    super(
      'NO_HANDLER',
      `No handler for job "${job}" ${where}; expected one of ${known.join(', ') || '(none)'}.`,
      { job, known: [...known] },
    );
  }
}

export class JobTimeoutError extends StockopsError {
  constructor(id: string, timeoutMs: number) {
    super('JOB_TIMEOUT', `Job ${id} did not finish within ${timeoutMs} ms.`, { id, timeoutMs });
  }
}

/** The flow catalog and the registered job handlers disagree: the process refuses to start. */
export class FlowCatalogError extends StockopsError {
  constructor(missing: readonly string[], unknown: readonly string[]) {
    super(
      'FLOW_CATALOG_MISMATCH',
      `Flow catalog mismatch: ${missing.length > 0 ? `no handler for ${missing.join(', ')}` : ''}` +
        `${unknown.length > 0 ? ` handlers for unknown jobs ${unknown.join(', ')}` : ''}; ` +
        'register exactly one handler per name in FLOW_NAMES (src/flows/flow-catalog.ts)',
      { missing: [...missing], unknown: [...unknown] },
    );
  }
}

/**
 * A state the code rules out happened anyway (a bug, not bad input): the message says what was expected
 * and what was found, so the log line is enough to start from.
 */
export class InternalError extends StockopsError {
  constructor(message: string) {
    super('INTERNAL_INVARIANT', `Internal invariant broken: ${message}`);
  }
}

export class ReportNotFoundError extends StockopsError {
  constructor(id: number) {
    super('REPORT_NOT_FOUND', `No monitoring report with id ${id}.`, { id });
  }
}

export class AlertNotFoundError extends StockopsError {
  constructor(id: number, why = 'no alert has this id') {
    super('ALERT_NOT_FOUND', `Alert ${id}: ${why}.`, { id });
  }
}

/** A model's lock (the promotion gate runs one challenger at a time) stayed held past the wait. */
export class LockTimeoutError extends StockopsError {
  constructor(model: string, waitMs: number, holder: string | null) {
    super(
      'LOCK_TIMEOUT',
      `The lock of model "${model}" was still held${holder ? ` by ${holder}` : ''} after ${waitMs} ms; another evaluation of this model is running.`,
      { model, waitMs, holder },
    );
  }
}

export class ApprovalNotFoundError extends StockopsError {
  constructor(id: number) {
    super('APPROVAL_NOT_FOUND', `No promotion approval with id ${id}.`, { id });
  }
}

/** An approval already settled (approved, rejected, expired) cannot be settled again. */
export class ApprovalNotPendingError extends StockopsError {
  constructor(id: number, state: string) {
    super(
      'APPROVAL_NOT_PENDING',
      `Promotion approval ${id} is ${state}, not pending; only a pending approval is approved or rejected.`,
      { id, state },
    );
  }
}

export function isStockopsError(e: unknown): e is StockopsError {
  return e instanceof StockopsError;
}

export class RecipeNotFoundError extends StockopsError {
  constructor(id: string, version?: number) {
    super(
      'RECIPE_NOT_FOUND',
      version === undefined
        ? `No model recipe "${id}"; list them with GET /api/recipes.`
        : `Model recipe "${id}" has no version ${version}.`,
      { id, ...(version === undefined ? {} : { version }) },
    );
  }
}
