// Cross-cutting parts of the app: the API key on mutating routes, request metrics, raw CSV bodies, OpenAPI.
import { timingSafeEqual } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { endpoints, type Endpoint } from '../api/index.js';
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
    // A path no route serves is answered 404 or 405 whatever the key: there is nothing to guard.
    const routed = req.routeOptions.url !== undefined;
    done(
      routed && MUTATING.has(req.method) && !sameKey(apiKey, req.headers['x-api-key'])
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

/** Fastify's own refusal of a body past the limit, for a body read as a stream. */
function tooLarge(limit: number): Error {
  return Object.assign(
    new Error(`Request body is larger than ${limit} bytes (STOCKOPS_BODY_LIMIT)`),
    {
      statusCode: 413,
    },
  );
}

/** The body's chunks as they arrive, refused with 413 once they pass `limit` bytes. */
async function* limited(stream: AsyncIterable<Buffer>, limit: number): AsyncIterable<Uint8Array> {
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += chunk.length;
    if (bytes > limit) {
      throw tooLarge(limit);
    }
    yield chunk;
  }
}

/**
 * CSV uploads arrive as a stream of raw bytes: the import service decodes and reads them as they come, so a large
 * body is never held whole in memory. The body limit is enforced on the way (and at once from Content-Length).
 */
export function acceptRawBodies(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser(
    ['text/csv', 'application/octet-stream', 'text/plain'],
    (req, payload, done) => {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > bodyLimit) {
        done(tooLarge(bodyLimit), undefined);
        return;
      }
      done(null, limited(payload as AsyncIterable<Buffer>, bodyLimit));
    },
  );
}

interface OpenApiOperation {
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
}

/**
 * The contract's schemas are JSON Schema 2020 (TypeBox), the document OpenAPI 3.0, where an exclusive bound is a
 * boolean beside minimum/maximum: `exclusiveMinimum: 0` becomes `minimum: 0, exclusiveMinimum: true`, the same
 * rule the server enforces, in the words 3.0 tools (schemathesis, generators) read. Works on a copy.
 */
function exclusiveBoundsAs30(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(exclusiveBoundsAs30);
  }
  if (typeof node !== 'object' || node === null) {
    return node;
  }
  const out: Record<string, unknown> = {};
  const src = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(src)) {
    out[k] = exclusiveBoundsAs30(v);
  }
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    const limit = src[exclusive];
    if (typeof limit === 'number') {
      const other = src[bound];
      // Both given: the tighter one wins (a value must pass both).
      const exclusiveWins =
        typeof other !== 'number' || (bound === 'minimum' ? limit >= other : limit <= other);
      out[exclusive] = exclusiveWins;
      if (exclusiveWins) {
        out[bound] = limit;
      }
    }
  }
  return out;
}

/**
 * What Fastify's route schemas cannot say and the contract does: a body that may be left out (it stands for the
 * defaults), and a raw body (a CSV file) read as a stream instead of parsed, documented under its media types.
 */
function completeFromContract(doc: { paths?: Record<string, Record<string, OpenApiOperation>> }) {
  for (const e of Object.values(endpoints) as Endpoint[]) {
    const op = doc.paths?.[e.url.replace(/:([A-Za-z_]+)/g, '{$1}')]?.[e.method.toLowerCase()];
    if (!op) {
      continue;
    }
    if (e.emptyBody !== undefined && op.requestBody) {
      op.requestBody.required = false;
    }
    const raw = e.schema.rawBody;
    if (raw !== undefined) {
      op.requestBody = {
        required: true,
        content: Object.fromEntries((e.schema.consumes ?? []).map((m) => [m, { schema: raw }])),
      };
    }
  }
  return exclusiveBoundsAs30(doc);
}

/** The OpenAPI document, generated from the route schemas (which come from src/api), and its viewer at /docs. */
export async function documentApi(app: FastifyInstance, bodyLimit: number): Promise<void> {
  await app.register(fastifySwagger, {
    transformObject: (documentObject) =>
      completeFromContract(
        'openapiObject' in documentObject
          ? (documentObject.openapiObject as Parameters<typeof completeFromContract>[0])
          : {},
      ) as never,
    openapi: {
      info: {
        title: 'stockops API',
        version: STOCKOPS_VERSION,
        description:
          'Stock price prediction with an honest MLOps lifecycle. Targets are log returns; every metric stands next to the naive "tomorrow = today" forecast. ' +
          `Request bodies are limited to ${bodyLimit} bytes (STOCKOPS_BODY_LIMIT; 413 past it). Every error answers with the envelope { error: { code, message, field? } }.\n\n${LIVE_DOC}`,
      },
      components: {
        securitySchemes: { apiKey: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
