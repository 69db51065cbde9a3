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
  response: Readonly<Record<number, TSchema>>;
  security?: readonly Readonly<Record<string, readonly string[]>>[];
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

export function endpoint<const S extends EndpointSchema>(
  method: HttpMethod,
  url: string,
  schema: S,
  options: { emptyBody?: unknown } = {},
): Endpoint<S> {
  return { method, url, schema, ...options };
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
