// Monitoring routes: the reports of monitor runs (one list and one whole report) and realised accuracy.
import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../api/index.js';
import { normalizeSymbol } from '../../core/index.js';
import { getReport, listRealised, listReports, type ServiceDeps } from '../../services/index.js';
import { route } from './route.js';

export function registerMonitoringRoutes(
  app: FastifyInstance,
  deps: { services: ServiceDeps },
): void {
  route(app, endpoints.monitoringReports, (req) =>
    listReports(deps.services, {
      ...(req.query.ticker !== undefined ? { ticker: normalizeSymbol(req.query.ticker) } : {}),
      ...(req.query.horizon !== undefined ? { horizon: req.query.horizon } : {}),
      limit: req.query.limit ?? 50,
    }),
  );

  route(app, endpoints.monitoringReport, (req) => getReport(deps.services, req.params.id));

  route(app, endpoints.realisedAccuracy, (req) => {
    const { ticker, limit, ...rest } = req.query;
    return listRealised(deps.services, {
      ...rest,
      ...(ticker !== undefined ? { ticker: normalizeSymbol(ticker) } : {}),
      limit: limit ?? 500,
    });
  });
}
