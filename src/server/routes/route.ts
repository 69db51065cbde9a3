// Registers one contract endpoint on the app with a handler typed from its schemas; the success status comes from the contract too.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { BodyOf, Endpoint, ParamsOf, QueryOf, ResponseOf } from '../../api/index.js';

/** The request as a handler sees it: params, query and body already validated against the endpoint. */
export type RouteRequest<E extends Endpoint> = Omit<FastifyRequest, 'params' | 'query' | 'body'> & {
  params: ParamsOf<E>;
  query: QueryOf<E>;
  body: BodyOf<E>;
};

export type RouteHandler<E extends Endpoint> = (
  req: RouteRequest<E>,
  reply: FastifyReply,
) => ResponseOf<E> | Promise<ResponseOf<E>>;

/** The lowest 2xx status the endpoint documents (200 when it documents none). */
function successStatus(e: Endpoint): number {
  const ok = Object.keys(e.schema.response)
    .map(Number)
    .filter((s) => s >= 200 && s < 300)
    .sort((a, b) => a - b);
  return ok[0] ?? 200;
}

/** The Idempotency-Key a client sent (validated by the endpoint's header schema), if any. */
export function idempotencyKeyOf(headers: FastifyRequest['headers']): string | undefined {
  const key = headers['idempotency-key'];
  return typeof key === 'string' && key !== '' ? key : undefined;
}

/**
 * Serving routes serialise their answer in the handler instead of in Fastify's send path: with the same
 * compiled serializer (the route's response schema for the success status), but once per answer object, so a
 * cached prediction answered again costs a WeakMap lookup instead of a fresh serialisation, and the time it took
 * is reported (the `serialize` stage) without a pair of per-request hooks around Fastify's own step. Only for
 * answers that are never mutated once made (the serving cache's predictions).
 */
export interface SerializeOnce {
  onSerialized?: (seconds: number) => void;
}

export function route<E extends Endpoint>(
  app: FastifyInstance,
  endpoint: E,
  handler: RouteHandler<E>,
  serializeOnce?: SerializeOnce,
): void {
  const status = successStatus(endpoint);
  const run = handler as unknown as (req: FastifyRequest, reply: FastifyReply) => unknown;
  const serialized = new WeakMap<object, string>();
  const onSerialized = serializeOnce?.onSerialized;
  const wrapped: RouteHandlerMethod = async (req, reply) => {
    const result = await run(req, reply);
    void reply.status(status);
    if (!serializeOnce || typeof result !== 'object' || result === null) {
      return result;
    }
    const t0 = performance.now();
    let text = serialized.get(result);
    if (text === undefined) {
      const serialize = reply.getSerializationFunction(String(status));
      text = serialize ? serialize(result as Record<string, unknown>) : JSON.stringify(result);
      serialized.set(result, text);
    }
    onSerialized?.((performance.now() - t0) / 1000);
    // A string with a JSON content type is sent as it is (Fastify skips its serializer).
    void reply.type('application/json; charset=utf-8');
    return text;
  };
  // Fastify validates a missing body as null and refuses it; where the contract says an empty
  // request stands for a body (all defaults), that body is put in first.
  const fallback = endpoint.emptyBody;
  app.route({
    method: endpoint.method,
    url: endpoint.url,
    schema: endpoint.schema,
    ...(fallback !== undefined
      ? {
          preValidation: (req: FastifyRequest, _reply: FastifyReply, done: () => void) => {
            // No body at all; a JSON `null` is a body, and the schema refuses it.
            if (req.body === undefined) {
              req.body = structuredClone(fallback);
            }
            done();
          },
        }
      : {}),
    handler: wrapped,
  });
}
