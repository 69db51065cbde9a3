// Cross-cutting parts of the app: the API key on mutating routes, request metrics, raw CSV bodies, OpenAPI.
import { timingSafeEqual } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { UnauthorizedError } from '../core/index.js';
import { LIVE_DOC } from '../api/index.js';
import type { AppMetrics } from '../metrics/index.js';
import { STOCKOPS_VERSION } from '../version.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameKey(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') {
    return false;
  }
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** When a key is configured, every mutating request needs it in x-api-key; reads stay open. */
export function requireApiKey(app: FastifyInstance, apiKey: string | null): void {
  if (apiKey === null) {
    return;
  }
  app.addHook('onRequest', (req, _reply, done) => {
    done(
      MUTATING.has(req.method) && !sameKey(apiKey, req.headers['x-api-key'])
        ? new UnauthorizedError()
        : undefined,
    );
  });
}

/**
 * Requests and their duration by route template (never the raw URL: bounded labels). Serving routes go to a
 * histogram with sub-millisecond buckets, the others to one that reaches 30 s. Label children are kept per
 * (method, route, status), so a request costs two map lookups, not two label hashes.
 */
export function countRequests(
  app: FastifyInstance,
  metrics: AppMetrics,
  servingRoutes: ReadonlySet<string>,
): void {
  type Child = { inc(): void; observe(v: number): void };
  const children = new Map<string, Child>();
  const childOf = (method: string, route: string, status: number): Child => {
    const key = `${method} ${route} ${status}`;
    let c = children.get(key);
    if (!c) {
      const labels = { method, route, status: String(status) };
      const counter = metrics.httpRequests.labels(labels);
      const histogram = (
        servingRoutes.has(route) ? metrics.serveDuration : metrics.httpDuration
      ).labels(labels);
      c = {
        inc: () => {
          counter.inc();
        },
        observe: (v) => {
          histogram.observe(v);
        },
      };
      children.set(key, c);
    }
    return c;
  };
  app.addHook('onResponse', (req, reply, done) => {
    const c = childOf(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode);
    c.inc();
    c.observe(reply.elapsedTime / 1000);
    // The Live page's route groups: the endpoint's tag (a handful), else UI, metrics and the like.
    metrics.traffic.recordRequest(
      req.routeOptions.schema?.tags?.[0] ?? 'other',
      reply.elapsedTime,
      reply.statusCode,
    );
    done();
  });
}

/** CSV uploads arrive as raw bytes: decoding and validation belong to the import service. */
export function acceptRawBodies(app: FastifyInstance): void {
  app.addContentTypeParser(
    ['text/csv', 'application/octet-stream', 'text/plain'],
    { parseAs: 'buffer' },
    (_req, body, done) => {
      done(null, body);
    },
  );
}

/** The OpenAPI document, generated from the route schemas (which come from src/api), and its viewer at /docs. */
export async function documentApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'stockops API',
        version: STOCKOPS_VERSION,
        description: `Stock price prediction with an honest MLOps lifecycle. Targets are log returns; every metric stands next to the naive "tomorrow = today" forecast.\n\n${LIVE_DOC}`,
      },
      components: {
        securitySchemes: { apiKey: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
