// What an endpoint is in the contract: method, path and schemas, plus the types a server handler and a client derive from it.
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { ErrorSchema } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Fastify's route schema, as @fastify/swagger turns it into OpenAPI. */
export interface EndpointSchema {
  tags: readonly string[];
  summary?: string;
  description?: string;
  params?: TObject;
  querystring?: TObject;
  body?: TSchema;
  /** Request headers the route reads (names in lower case), e.g. `idempotency-key`. */
  headers?: TObject;
  /** Media types of a raw body (e.g. text/csv); JSON when absent. */
  consumes?: readonly string[];
  /**
   * A raw body as OpenAPI documents it, under each `consumes` media type. The framework does not check it: the handler
   * reads it as a stream (a CSV file is judged as a whole by the import).
   */
  rawBody?: TSchema;
  response: Readonly<Record<number, TSchema>>;
  security?: readonly Readonly<Record<string, readonly string[]>>[];
  /** Left out of the OpenAPI document (a generic route whose documented forms are listed one by one). */
  hide?: boolean;
}

export interface Endpoint<S extends EndpointSchema = EndpointSchema> {
  method: HttpMethod;
  /** Fastify path syntax: `/api/tickers/:symbol/history`. */
  url: string;
  schema: S;
  /** The body a request without one stands for (e.g. `{}`: all defaults); absent, a body is required. */
  emptyBody?: unknown;
}

/** Mutating routes name the API key scheme, so OpenAPI shows which need `x-api-key`. */
export const NEEDS_API_KEY = [{ apiKey: [] }] as const;

/** The error envelope under each status a route documents. */
export function errorResponses<const C extends readonly number[]>(
  ...codes: C
): { [K in C[number]]: typeof ErrorSchema } {
  return Object.fromEntries(codes.map((c) => [c, ErrorSchema])) as {
    [K in C[number]]: typeof ErrorSchema;
  };
}

/**
 * Statuses every route may answer besides its own: a request the edge refuses (validation, a control character
 * in the URL), a server fault, a store that is busy or shutting down or a replica overloaded (503), and a request
 * past its deadline (504, STOCKOPS_REQUEST_TIMEOUT_MS).
 */
export const COMMON_ERROR_STATUSES = [400, 500, 503, 504] as const;

/** The rate limit's answer (RATE_LIMITED, with Retry-After) on every /api route but the probes. */
export const RATE_LIMITED_STATUS = 429;

/** What the edge answers for a request body: too large (the body limit) or of a media type the route does not take. */
export const BODY_ERROR_STATUSES = [413, 415] as const;

/**
 * An entry of the contract. Its documented responses are the ones given plus the error envelope under
 * COMMON_ERROR_STATUSES, 429 unless it is a probe, 401 when the route needs the API key and BODY_ERROR_STATUSES
 * when it takes a body, so the OpenAPI document lists every status the server can answer.
 */
export function endpoint<const S extends EndpointSchema>(
  method: HttpMethod,
  url: string,
  schema: S,
  options: {
    emptyBody?: unknown;
    /** A probe (liveness, readiness): the rate limit never applies to it, so it documents no 429. */
    probe?: boolean;
  } = {},
): Endpoint<S> {
  const { probe, ...rest } = options;
  const takesBody = schema.body !== undefined || schema.consumes !== undefined;
  const response = {
    ...errorResponses(...COMMON_ERROR_STATUSES),
    ...(probe === true ? {} : errorResponses(RATE_LIMITED_STATUS)),
    ...(schema.security ? errorResponses(401) : {}),
    ...(takesBody ? errorResponses(...BODY_ERROR_STATUSES) : {}),
    ...schema.response,
  };
  return { method, url, schema: { ...schema, response }, ...rest };
}

type SuccessStatus = 200 | 201 | 202 | 204;

/** The body of the endpoint's success response. */
export type ResponseOf<E extends Endpoint> = Static<
  E['schema']['response'][Extract<keyof E['schema']['response'], SuccessStatus>]
>;
export type ParamsOf<E extends Endpoint> = E['schema'] extends { params: infer P extends TSchema }
  ? Static<P>
  : undefined;
export type QueryOf<E extends Endpoint> = E['schema'] extends {
  querystring: infer Q extends TSchema;
}
  ? Static<Q>
  : undefined;
export type BodyOf<E extends Endpoint> = E['schema'] extends { body: infer B extends TSchema }
  ? Static<B>
  : undefined;
