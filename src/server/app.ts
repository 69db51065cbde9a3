// buildServer(deps): composes the Fastify app from one route plugin per resource; main.ts listens.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import type { EventBus, FlowService, JobQueue } from '../core/index.js';
import { endpoints, type Health } from '../api/index.js';
import type { AppMetrics } from '../metrics/index.js';
import type { ServiceDeps, ServingCache } from '../services/index.js';
import { errorHandler } from './errors.js';
import { LiveHub, type LiveHubOptions } from './live/index.js';
import { acceptRawBodies, countRequests, documentApi, requireApiKey } from './plugins.js';
import { enforceDeadlines, protect, type ProtectionOptions } from './protection.js';
import {
  registerAlertRoutes,
  registerDataRoutes,
  registerEtlRoutes,
  registerFlowRoutes,
  registerModelRoutes,
  registerMonitoringRoutes,
  registerOverviewRoutes,
  registerPredictRoutes,
  registerRecipeRoutes,
  registerRetrainRoutes,
  registerSystemRoutes,
  registerTrackingRoutes,
  registerTrainRoutes,
  registerLiveRoutes,
  registerUi,
  type Readiness,
} from './routes/index.js';

/** A replica's protections and deadlines (from ServingConfig). */
export interface ServerProtection extends ProtectionOptions {
  /** Deadline of one request, body included. */
  requestTimeoutMs: number;
  /** Proxies whose X-Forwarded-For gives the client address (Fastify's trustProxy). */
  trustProxy: string | false;
}

/** Routes whose durations go to the serving histogram. */
const SERVING_ROUTES: ReadonlySet<string> = new Set([
  endpoints.predict.url,
  endpoints.predictBatch.url,
  endpoints.forecast.url,
]);

export interface ServerDeps {
  services: ServiceDeps;
  /** Flow runs and schedules; training and the ETL start flow runs. */
  flows: FlowService;
  /** The queue under the flows (for /api/jobs of a job that has no flow run). */
  queue: JobQueue;
  metrics: AppMetrics;
  serving: ServingCache;
  /** When set, mutating routes need this value in header x-api-key. */
  apiKey: string | null;
  /** Folder holding the built UI (index.html); null or missing serves a hint instead. */
  webRoot: string | null;
  /** Extra fields for /api/health (e.g. bootstrap progress). */
  status?: () => Omit<Health, 'status' | 'version'>;
  /** Readiness for /api/ready; absent, the app is ready as soon as it is built. */
  readiness?: () => Readiness;
  /** Instance header, rate limit, overload answer and deadlines; absent (tests), only the instance header `local`. */
  protection?: ServerProtection;
  logger?: FastifyServerOptions['logger'];
  /** A logger made elsewhere (the runtime's), used instead of `logger`. */
  loggerInstance?: FastifyBaseLogger;
  /** The event bus whose channels /ws/* stream; without it there are no /ws routes. */
  events?: EventBus;
  /** This process's id and the WebSocket limits. */
  live?: Omit<LiveHubOptions, 'events' | 'metrics' | 'log'>;
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.loggerInstance
      ? { loggerInstance: deps.loggerInstance }
      : { logger: deps.logger ?? false }),
    // Request lines would drown the log; metrics count requests and errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024 * 1024,
    // Receiving a request is bounded by its deadline too (Node's requestTimeout); the handler by enforceDeadlines.
    ...(deps.protection
      ? {
          requestTimeout: deps.protection.requestTimeoutMs,
          trustProxy: deps.protection.trustProxy === false ? false : deps.protection.trustProxy,
        }
      : {}),
    // Malformed URLs and similar router errors get the same JSON error shape as everything else.
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply)
        .status(400)
        .send({ error: { code: err.code, message: err.message } });
    },
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(errorHandler);
  const protection: ProtectionOptions = deps.protection ?? {
    instance: 'local',
    rateLimit: { max: 0, windowMs: 60_000 },
    redisUrl: null,
    maxEventLoopDelayMs: 0,
  };
  const readiness = deps.readiness;
  await protect(
    app,
    {
      ...protection,
      ...(readiness ? { draining: () => readiness().state === 'draining' } : {}),
    },
    deps.metrics,
  );
  if (deps.protection) {
    enforceDeadlines(app, deps.protection.requestTimeoutMs);
  }
  acceptRawBodies(app);
  requireApiKey(app, deps.apiKey);
  countRequests(app, deps.metrics, SERVING_ROUTES);
  await documentApi(app);
  if (deps.events) {
    // Before the other routes: the WebSocket plugin must see them all.
    const hub = new LiveHub({
      instanceId: String(process.pid),
      ...deps.live,
      events: deps.events,
      metrics: deps.metrics.live,
      log: app.log,
    });
    await registerLiveRoutes(app, hub);
  }

  registerSystemRoutes(app, {
    metrics: deps.metrics,
    instance: protection.instance,
    ...(deps.status ? { status: deps.status } : {}),
    ...(deps.readiness ? { readiness: deps.readiness } : {}),
  });
  registerDataRoutes(app, deps);
  registerEtlRoutes(app, { flows: deps.flows, etlRuns: deps.services.etlRuns });
  registerPredictRoutes(app, deps);
  registerTrainRoutes(app, deps);
  registerTrackingRoutes(app, deps);
  registerModelRoutes(app, deps);
  registerFlowRoutes(app, deps);
  registerRecipeRoutes(app, deps);
  registerOverviewRoutes(app, deps);
  registerMonitoringRoutes(app, deps);
  registerRetrainRoutes(app, deps);
  registerAlertRoutes(app, deps);
  await registerUi(app, deps.webRoot);
  return app;
}
