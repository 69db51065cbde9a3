// The one place where domain error codes become HTTP statuses.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isStockopsError, type ErrorCode } from '../core/index.js';
import type { HttpErrorCode } from '../api/index.js';

/**
 * A request this replica refuses for its own protection (rate limit, overload, not ready): the status, an HTTP
 * code of the contract and the seconds after which a retry may succeed.
 */
export class ServiceRefusal extends Error {
  constructor(
    readonly statusCode: 429 | 503,
    readonly code: Extract<HttpErrorCode, 'RATE_LIMITED' | 'OVERLOADED' | 'NOT_READY'>,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'ServiceRefusal';
  }
}

const STATUS: Record<ErrorCode, number> = {
  UNKNOWN_TICKER: 404,
  INVALID_INPUT: 400,
  INVALID_CSV: 400,
  INSUFFICIENT_HISTORY: 422,
  MODEL_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  ARTIFACT_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  CONFIG_ERROR: 500,
  STORE_BUSY: 503,
  CONFLICT: 409,
  FLOW_NOT_FOUND: 404,
  FLOW_RUN_NOT_FOUND: 404,
  SCHEDULE_NOT_FOUND: 404,
  SOURCE_ERROR: 502,
  ETL_RUN_NOT_FOUND: 404,
  ETL_FAILED: 502,
  INVALID_MODEL: 422,
  UNKNOWN_FEATURE_SET: 400,
  FEATURE_MISMATCH: 422,
  MODEL_NOT_FITTED: 500,
  MISSING_LABELS: 500,
  TOO_MANY_ROWS: 422,
  SINGULAR_MATRIX: 422,
  BARS_OUT_OF_ORDER: 500,
  RESOURCE_CLOSED: 503,
  NO_HANDLER: 500,
  JOB_TIMEOUT: 504,
  FLOW_CATALOG_MISMATCH: 500,
  INTERNAL_INVARIANT: 500,
  REPORT_NOT_FOUND: 404,
  ALERT_NOT_FOUND: 404,
  LOCK_TIMEOUT: 503,
  APPROVAL_NOT_FOUND: 404,
  APPROVAL_NOT_PENDING: 409,
  RECIPE_NOT_FOUND: 404,
};

export interface ErrorBody {
  error: { code: string; message: string; field?: string; requestId?: string };
}

/** Fastify's validation path, e.g. "querystring/horizon" or "body/ticker", as a field name. */
function fieldOf(err: FastifyError): string | undefined {
  const v = err.validation?.[0];
  if (!v) {
    return undefined;
  }
  const missing =
    (v.params as { missingProperty?: string; additionalProperty?: string } | undefined) ?? {};
  const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
  return missing.missingProperty ?? missing.additionalProperty ?? (path === '' ? undefined : path);
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  if ((err as unknown) instanceof ServiceRefusal) {
    const refusal = err as unknown as ServiceRefusal;
    void reply
      .status(refusal.statusCode)
      .header('retry-after', String(Math.max(1, Math.ceil(refusal.retryAfterSeconds))))
      .send({ error: { code: refusal.code, message: refusal.message } } satisfies ErrorBody);
    return;
  }
  if (isStockopsError(err)) {
    const status = STATUS[err.code];
    if (status >= 500) {
      req.log.error({ err }, 'domain error mapped to 5xx');
    }
    const field = typeof err.details?.field === 'string' ? err.details.field : undefined;
    void reply.status(status).send({
      error: { code: err.code, message: err.message, ...(field ? { field } : {}) },
    } satisfies ErrorBody);
    return;
  }
  if (err.validation) {
    const field = fieldOf(err);
    const where = err.validationContext ?? 'request';
    void reply.status(400).send({
      error: {
        code: 'INVALID_INPUT',
        message: `${where}${field ? `.${field}` : ''}: ${err.validation.map((v) => v.message ?? 'is invalid').join('; ')}`,
        ...(field ? { field } : {}),
      },
    } satisfies ErrorBody);
    return;
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, unsupported media type, body too large) keep their status.
    void reply.status(status).send({
      error: { code: err.code || 'BAD_REQUEST', message: err.message },
    } satisfies ErrorBody);
    return;
  }
  req.log.error({ err }, 'unhandled error');
  void reply.status(500).send({
    error: {
      code: 'INTERNAL',
      message: 'Internal error; see the server log for this request id.',
      requestId: req.id,
    },
  } satisfies ErrorBody);
}
