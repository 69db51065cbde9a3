// Training routes: start a `train` flow run, and the job view of a flow run for older clients.
import type { FastifyInstance } from 'fastify';
import { normalizeSymbol, type FlowService, type JobQueue } from '../../core/index.js';
import { endpoints } from '../../api/index.js';
import { getJob, startTraining, type ServiceDeps } from '../../services/index.js';
import { idempotencyKeyOf, route } from './route.js';

export interface TrainRouteDeps {
  services: ServiceDeps;
  flows: FlowService;
  queue: JobQueue;
}

export function registerTrainRoutes(app: FastifyInstance, deps: TrainRouteDeps): void {
  route(app, endpoints.train, (req) =>
    startTraining(
      deps.services,
      deps.flows,
      { ...req.body, ticker: normalizeSymbol(req.body.ticker) },
      'api',
      { idempotencyKey: idempotencyKeyOf(req.headers) },
    ),
  );

  route(app, endpoints.job, (req) => getJob(deps.flows, deps.queue, req.params.id));
}
