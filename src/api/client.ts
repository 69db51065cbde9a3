// The one client of the HTTP API, used by the CLI and the web: builds the request from an endpoint and checks the answer against its schema.
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { BodyOf, Endpoint, ParamsOf, QueryOf, ResponseOf } from './endpoint.js';

/** An API failure: the server's code, or BAD_RESPONSE / NETWORK / HTTP_<status> for what went wrong on the way. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly field: string | undefined;

  constructor(code: string, message: string, status?: number, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.field = field;
  }
}

export interface ApiClientOptions {
  /** Prefix of every path, e.g. http://127.0.0.1:8000; empty for the page's own origin. @defaultValue '' */
  baseUrl?: string;
  /** @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
  /** The API key sent as x-api-key on every request when it returns a non-empty string. */
  apiKey?: () => string | null | undefined;
}

type Present<K extends string, T> = T extends undefined ? { [P in K]?: never } : { [P in K]: T };

/** What a call needs: path parameters, query and JSON body as the endpoint declares them, or a raw body. */
export type CallInput<E extends Endpoint> = Present<'params', ParamsOf<E>> &
  Partial<Present<'query', QueryOf<E>>> &
  (BodyOf<E> extends undefined ? { body?: never } : { body?: BodyOf<E> }) & {
    /** A body sent as is, e.g. a CSV file. */
    raw?: { bytes: Uint8Array | string; contentType: string };
    headers?: Record<string, string>;
    signal?: AbortSignal;
  };

export interface ApiClient {
  call<E extends Endpoint>(endpoint: E, input: CallInput<E>): Promise<ResponseOf<E>>;
  /** The URL a call would request (for links and logs). */
  url<E extends Endpoint>(endpoint: E, input: Pick<CallInput<E>, 'params' | 'query'>): string;
}

const checkers = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerOf(schema: TSchema): TypeCheck<TSchema> {
  let c = checkers.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    checkers.set(schema, c);
  }
  return c;
}

/** Path and query values are strings, numbers or booleans in every endpoint of the contract. */
const scalar = (v: unknown): string =>
  typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : typeof v === 'string'
      ? v
      : JSON.stringify(v);

function pathOf(url: string, params: Record<string, unknown> | undefined): string {
  return url.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined) {
      throw new ApiError('CLIENT_ERROR', `path parameter "${name}" of ${url} is missing`);
    }
    return encodeURIComponent(scalar(v));
  });
}

function queryOf(query: Record<string, unknown> | undefined): string {
  if (!query) {
    return '';
  }
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null) {
      q.set(k, scalar(v));
    }
  }
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

function parseBody(text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function envelopeOf(body: unknown): { code?: unknown; message?: unknown; field?: unknown } | null {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const e = body.error;
    return typeof e === 'object' && e !== null ? e : null;
  }
  return null;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const base = options.baseUrl ?? '';
  const url = (e: Endpoint, input: { params?: unknown; query?: unknown }) =>
    `${base}${pathOf(e.url, input.params as Record<string, unknown> | undefined)}${queryOf(
      input.query as Record<string, unknown> | undefined,
    )}`;
  return {
    url,
    async call<E extends Endpoint>(e: E, input: CallInput<E>): Promise<ResponseOf<E>> {
      const target = url(e, input);
      const headers: Record<string, string> = { accept: 'application/json', ...input.headers };
      const key = options.apiKey?.();
      if (key) {
        headers['x-api-key'] = key;
      }
      let body: string | Uint8Array | undefined;
      if (input.raw) {
        headers['content-type'] = input.raw.contentType;
        body = input.raw.bytes;
      } else if (input.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(input.body);
      }
      const doFetch = options.fetch ?? globalThis.fetch;
      let res: Response;
      try {
        res = await doFetch(target, {
          method: e.method,
          headers,
          ...(body !== undefined ? { body: body as NonNullable<RequestInit['body']> } : {}),
          ...(input.signal ? { signal: input.signal } : {}),
        });
      } catch (err) {
        if (err instanceof Error && err.name === 'AbortError') {
          throw err;
        }
        throw new ApiError(
          'NETWORK',
          `Could not reach the stockops API at ${target}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      const parsed = parseBody(await res.text());
      if (res.status === 204) {
        // No content: the contract's schema for it is null.
        return null;
      }
      if (!res.ok) {
        const env = envelopeOf(parsed);
        throw new ApiError(
          typeof env?.code === 'string' ? env.code : `HTTP_${res.status}`,
          typeof env?.message === 'string'
            ? env.message
            : `The server answered ${res.status} ${res.statusText} for ${e.method} ${target}`,
          res.status,
          typeof env?.field === 'string' ? env.field : undefined,
        );
      }
      const schema = e.schema.response[res.status];
      if (schema) {
        const check = checkerOf(schema);
        if (!check.Check(parsed)) {
          const first = check.Errors(parsed).First();
          throw new ApiError(
            'BAD_RESPONSE',
            `Unexpected answer from ${e.method} ${e.url}: ${first ? `${first.path || '/'} ${first.message}` : 'does not match its schema'}`,
            res.status,
          );
        }
      }
      return parsed;
    },
  };
}
