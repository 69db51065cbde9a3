// Registers one contract endpoint on the app with a handler typed from its schemas; the success status comes from the contract too.
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteHandlerMethod,
  RouteShorthandOptions,
} from 'fastify';
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

/** Route-level hooks a route file may add (e.g. timing the serialisation of a prediction). */
export type RouteHooks = Pick<RouteShorthandOptions, 'preSerialization' | 'onSend'>;

export function route<E extends Endpoint>(
  app: FastifyInstance,
  endpoint: E,
  handler: RouteHandler<E>,
  hooks: RouteHooks = {},
): void {
  const status = successStatus(endpoint);
  const run = handler as unknown as (req: FastifyRequest, reply: FastifyReply) => unknown;
  const wrapped: RouteHandlerMethod = async (req, reply) => {
    const result = await run(req, reply);
    void reply.status(status);
    return result;
  };
  // Fastify validates a missing body as null and refuses it; where the contract says an empty
  // request stands for a body (all defaults), that body is put in first.
  const fallback = endpoint.emptyBody;
  app.route({
    method: endpoint.method,
    url: endpoint.url,
    schema: endpoint.schema,
    ...hooks,
    ...(fallback !== undefined
      ? {
          preValidation: (req: FastifyRequest, _reply: FastifyReply, done: () => void) => {
            req.body ??= structuredClone(fallback);
            done();
          },
        }
      : {}),
    handler: wrapped,
  });
}
