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
import { answerUnrouted, clientErrorHandler, errorHandler } from './errors.js';
import { acceptRawBodies, countRequests, documentApi, requireApiKey } from './plugins.js';
import { refuseControlCharacters, validatorCompiler } from './validation.js';
import {
  registerDataRoutes,
  registerEtlRoutes,
  registerFlowRoutes,
  registerModelRoutes,
  registerPredictRoutes,
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
  /** Largest request body accepted, in bytes (STOCKOPS_BODY_LIMIT). @defaultValue DEFAULT_BODY_LIMIT */
  bodyLimit?: number;
}

/** 64 MiB: a CSV of every trading day since 1900 is about 2 MB, so this is generous while still a bound. */
export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Request lines would drown the log; metrics count requests and errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Malformed URLs and similar router errors get the same JSON error shape as everything else.
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply)
        .status(400)
        .send({ error: { code: 'BAD_REQUEST', message: err.message } });
    },
    // So do the refusals Node's HTTP parser makes before Fastify sees a request (431 for a huge URL).
    clientErrorHandler,
    // HEAD is not part of the contract: a HEAD request is a method the path does not allow (405 with Allow).
    exposeHeadRoutes: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  answerUnrouted(app);
  refuseControlCharacters(app);
  acceptRawBodies(app, deps.bodyLimit ?? DEFAULT_BODY_LIMIT);
  requireApiKey(app, deps.apiKey);
  countRequests(app, deps.metrics);
  await documentApi(app, deps.bodyLimit ?? DEFAULT_BODY_LIMIT);

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
  await registerUi(app, deps.webRoot);
  return app;
}
