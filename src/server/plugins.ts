// Cross-cutting parts of the app: the API key on mutating routes, request metrics, raw CSV bodies, OpenAPI.
import { timingSafeEqual } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { UnauthorizedError } from '../core/index.js';
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
    // A path no route serves is answered 404 or 405 whatever the key: there is nothing to guard.
    const routed = req.routeOptions.url !== undefined;
    done(
      routed && MUTATING.has(req.method) && !sameKey(apiKey, req.headers['x-api-key'])
        ? new UnauthorizedError()
        : undefined,
    );
  });
}

/** Requests and their duration by route template (never the raw URL: bounded labels). */
export function countRequests(app: FastifyInstance, metrics: AppMetrics): void {
  app.addHook('onResponse', async (req, reply) => {
    const labels = {
      method: req.method,
      route: req.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
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
        description:
          'Stock price prediction with an honest MLOps lifecycle. Targets are log returns; every metric stands next to the naive "tomorrow = today" forecast.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
