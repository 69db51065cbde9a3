// The error envelope every failed request answers with, and the codes a client may see.
import { Type, type Static } from '@sinclair/typebox';
import type { ErrorCode } from '../core/index.js';

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. UNKNOWN_TICKER' }),
      message: Type.String({ description: 'What was expected and what was found' }),
      field: Type.Optional(Type.String({ description: 'The request field at fault' })),
      requestId: Type.Optional(Type.String()),
    }),
  },
  { description: 'Error envelope' },
);
export type ErrorBody = Static<typeof ErrorSchema>;

/**
 * Codes the HTTP layer adds to the domain's own: routes and methods that do not exist, framework
 * refusals (body too large, bad JSON), the catch-all for a server fault, and the protections of a replica:
 * RATE_LIMITED (429, too many requests in the window for this API key or address), OVERLOADED (503, the
 * event loop is saturated) and NOT_READY (503, starting or draining), which carry Retry-After, and
 * DEADLINE_EXCEEDED (504, the request took longer than its deadline, STOCKOPS_REQUEST_TIMEOUT_MS).
 */
export type HttpErrorCode =
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'INTERNAL'
  | 'RATE_LIMITED'
  | 'OVERLOADED'
  | 'NOT_READY'
  | 'DEADLINE_EXCEEDED';

/** Every code an API error envelope can carry. */
export type ApiErrorCode = ErrorCode | HttpErrorCode;
