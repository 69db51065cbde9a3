// Tracking routes: experiment runs with params, metrics by step and tags.
import type { FastifyInstance } from 'fastify';
import { normalizeSymbol } from '../../core/index.js';
import { endpoints } from '../../api/index.js';
import { searchRuns, type ServiceDeps } from '../../services/index.js';
import { route } from './route.js';

export function registerTrackingRoutes(
  app: FastifyInstance,
  deps: { services: ServiceDeps },
): void {
  const { tracker } = deps.services;

  route(app, endpoints.runs, (req) =>
    searchRuns(deps.services, {
      ticker: req.query.ticker === undefined ? undefined : normalizeSymbol(req.query.ticker),
      horizon: req.query.horizon,
      limit: req.query.limit ?? 100,
    }),
  );

  route(app, endpoints.run, (req) => tracker.getRun(req.params.runId));

  route(app, endpoints.metricHistory, (req) =>
    tracker.getMetricHistory(req.params.runId, req.params.key),
  );
}
