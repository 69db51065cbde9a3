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
 * refusals (bad JSON, body too large, media type, URL too long) and the catch-all for a server fault.
 */
export type HttpErrorCode =
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'HEADERS_TOO_LARGE'
  | 'REQUEST_TIMEOUT'
  | 'INTERNAL';

/** Every code an API error envelope can carry. */
export type ApiErrorCode = ErrorCode | HttpErrorCode;
