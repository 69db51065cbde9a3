// A replica's protections: the instance header, the rate limit per API key or address, 503 under event-loop pressure.
import { createHash } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyUnderPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { AppMetrics } from '../metrics/index.js';
import { ServiceRefusal } from './errors.js';

export interface ProtectionOptions {
  /** Sent as `x-stockops-instance` on every response, so a client (and the stack tests) see who answered. */
  instance: string;
  /** Requests per window per key on /api; 0 switches the limit off. */
  rateLimit: { max: number; windowMs: number };
  /** Counts the limit in this Redis (shared by the replicas); null counts in this process. */
  redisUrl: string | null;
  /** Event-loop delay that starts 503 OVERLOADED answers; 0 switches the check off. */
  maxEventLoopDelayMs: number;
  /** True while the replica drains: every response then closes its connection (no keep-alive reuse). */
  draining?: () => boolean;
}

/** Routes outside every protection: the probes and the scrape must answer whatever the load. */
const PROBES = new Set(['/api/health', '/api/ready', '/metrics']);

const isProbe = (req: FastifyRequest) => PROBES.has(req.routeOptions.url ?? '');

/**
 * The key of a client: its API key when it sends one (hashed, so no key is stored in Redis), else its address
 * (the first untrusted hop of X-Forwarded-For when the proxy is trusted, see STOCKOPS_TRUST_PROXY).
 */
function clientKey(req: FastifyRequest): string {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key !== '') {
    return `key:${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
  }
  return `ip:${req.ip}`;
}

export async function protect(
  app: FastifyInstance,
  options: ProtectionOptions,
  metrics: AppMetrics,
): Promise<void> {
  const instance = options.instance;
  const draining = options.draining ?? (() => false);
  app.addHook('onRequest', (_req, reply, done) => {
    void reply.header('x-stockops-instance', instance);
    // A proxy must not send another request on a connection the replica is about to close: say so now.
    if (draining()) {
      void reply.header('connection', 'close');
    }
    done();
  });

  if (options.maxEventLoopDelayMs > 0) {
    const overloaded = metrics.rejected.labels('overloaded');
    await app.register(fastifyUnderPressure, {
      maxEventLoopDelay: options.maxEventLoopDelayMs,
      retryAfter: 1,
      pressureHandler: (req) => {
        if (isProbe(req)) {
          return undefined;
        }
        overloaded.inc();
        return Promise.reject(
          new ServiceRefusal(
            503,
            'OVERLOADED',
            `This replica's event loop is saturated (delay above ${options.maxEventLoopDelayMs} ms); retry shortly, another replica may answer.`,
            1,
          ),
        );
      },
    });
  }

  if (options.rateLimit.max > 0) {
    const { max, windowMs } = options.rateLimit;
    // Fails fast while Redis is down (skipOnError then lets the request through): the limit is a protection,
    // not a reason to stop serving.
    const redis = options.redisUrl
      ? new Redis(options.redisUrl, {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2000,
        })
      : null;
    redis?.on('error', () => undefined);
    if (redis) {
      app.addHook('onClose', () => {
        redis.disconnect();
      });
    }
    const limited = metrics.rejected.labels('rate_limited');
    await app.register(fastifyRateLimit, {
      global: true,
      max,
      timeWindow: windowMs,
      ...(redis ? { redis, nameSpace: 'stockops-rate-limit:' } : {}),
      skipOnError: true,
      keyGenerator: clientKey,
      allowList: (req) => isProbe(req) || !(req.routeOptions.url ?? '').startsWith('/api/'),
      onExceeded: () => {
        limited.inc();
      },
      errorResponseBuilder: (_req, ctx) =>
        new ServiceRefusal(
          429,
          'RATE_LIMITED',
          `More than ${ctx.max} requests in ${windowMs / 1000} s from this API key or address; retry in ${ctx.after}.`,
          ctx.ttl / 1000,
        ),
    });
  }
}

/**
 * Every request has a deadline: one that has not been answered `ms` after it arrived gets 504
 * DEADLINE_EXCEEDED (nginx's proxy_read_timeout is set a little longer, so the replica's answer arrives
 * first). One sweep a second over the requests in flight, rather than a timer per request.
 */
export function enforceDeadlines(app: FastifyInstance, ms: number): void {
  const inFlight = new Map<FastifyRequest, { at: number; reply: FastifyReply }>();
  app.addHook('onRequest', (req, reply, done) => {
    inFlight.set(req, { at: Date.now(), reply });
    done();
  });
  app.addHook('onResponse', (req, _reply, done) => {
    inFlight.delete(req);
    done();
  });
  app.addHook('onRequestAbort', (req, done) => {
    inFlight.delete(req);
    done();
  });
  const sweep = setInterval(
    () => {
      const late = Date.now() - ms;
      for (const [req, { at, reply }] of inFlight) {
        if (at > late) {
          continue;
        }
        inFlight.delete(req);
        if (!reply.sent && !reply.raw.headersSent) {
          req.log.warn({ url: req.url, ms }, 'request deadline exceeded');
          void reply.status(504).send({
            error: {
              code: 'DEADLINE_EXCEEDED',
              message: `No answer within the request deadline of ${ms} ms (STOCKOPS_REQUEST_TIMEOUT_MS).`,
            },
          });
        }
      }
    },
    Math.min(1000, ms),
  );
  sweep.unref();
  app.addHook('onClose', (_app, done) => {
    clearInterval(sweep);
    done();
  });
}
