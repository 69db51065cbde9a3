// The one place where domain error codes become HTTP statuses, and where every other refusal (framework, router,
// Node's HTTP parser) gets the same error envelope.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiErrorCode, HttpErrorCode } from '../api/index.js';
import { isStockopsError, type ErrorCode } from '../core/index.js';
import { allowedMethods } from './allowed-methods.js';

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
  IMPORT_REFUSED: 422,
  QUEUE_FULL: 429,
  REPORT_NOT_FOUND: 404,
  ALERT_NOT_FOUND: 404,
  LOCK_TIMEOUT: 503,
  APPROVAL_NOT_FOUND: 404,
  APPROVAL_NOT_PENDING: 409,
  RECIPE_NOT_FOUND: 404,
};

export interface ErrorBody {
  error: { code: ApiErrorCode; message: string; field?: string; requestId?: string };
}

/** Codes of the refusals Fastify itself makes, by status. */
const FRAMEWORK_CODES: Readonly<Record<number, ApiErrorCode>> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'HEADERS_TOO_LARGE',
};

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
    const retryAfter = err.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') {
      void reply.header('retry-after', String(retryAfter));
    }
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
      error: { code: FRAMEWORK_CODES[status] ?? 'BAD_REQUEST', message: err.message },
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

/**
 * The answer for a path no route serves: 405 with `Allow` when the API serves the path with other methods, else
 * 404. Both in the error envelope.
 */
export function notFound(req: FastifyRequest, reply: FastifyReply, path: string): void {
  const allow = allowedMethods(path);
  if (allow.length > 0 && !allow.includes(req.method)) {
    void reply
      .status(405)
      .header('allow', allow.join(', '))
      .send({
        error: {
          code: 'METHOD_NOT_ALLOWED',
          message: `${req.method} is not allowed on ${path}; allowed: ${allow.join(', ')}`,
        },
      } satisfies ErrorBody);
    return;
  }
  void reply.status(404).send({
    error: { code: 'NOT_FOUND', message: `No route ${req.method} ${path}` },
  } satisfies ErrorBody);
}

/**
 * A request no route serves is answered as soon as it arrives (onRequest), before its body is parsed: an unknown
 * method such as QUERY then gets 405 with Allow, not a complaint about its Content-Type. GET and HEAD outside the
 * API go on to the not-found handler, which serves the UI's client-side routes.
 */
export function answerUnrouted(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.url !== undefined) {
      return;
    }
    const path = req.url.split('?')[0] ?? '';
    const api = path === '/api' || path.startsWith('/api/');
    if (api || (req.method !== 'GET' && req.method !== 'HEAD')) {
      notFound(req, reply, path);
      return reply;
    }
  });
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers or URL too large: 431, a stalled
 * request: 408, a malformed one: 400) and would answer in its own format; this writes the error envelope instead.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'The request line and headers are larger than the server accepts (a URL this long is not an API request)'
      : status === 408
        ? 'The request was not received in time'
        : 'The request is not valid HTTP';
  const body = JSON.stringify({
    error: { code: FRAMEWORK_CODES[status] ?? 'BAD_REQUEST', message },
  } satisfies ErrorBody);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
