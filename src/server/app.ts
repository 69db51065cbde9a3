// buildServer(deps): composes the Fastify app from one route plugin per resource; main.ts listens.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import type { FlowService, JobQueue } from '../core/index.js';
import type { Health } from '../api/index.js';
import type { AppMetrics } from '../metrics/index.js';
import type { ServiceDeps, ServingCache } from '../services/index.js';
import { errorHandler } from './errors.js';
import { acceptRawBodies, countRequests, documentApi, requireApiKey } from './plugins.js';
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
  registerUi,
} from './routes/index.js';

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
  logger?: FastifyServerOptions['logger'];
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Request lines would drown the log; metrics count requests and errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024 * 1024,
    // Malformed URLs and similar router errors get the same JSON error shape as everything else.
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply)
        .status(400)
        .send({ error: { code: err.code, message: err.message } });
    },
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(errorHandler);
  acceptRawBodies(app);
  requireApiKey(app, deps.apiKey);
  countRequests(app, deps.metrics);
  await documentApi(app);

  registerSystemRoutes(app, {
    metrics: deps.metrics,
    ...(deps.status ? { status: deps.status } : {}),
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
