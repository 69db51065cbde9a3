// Alert routes: the alerts by state, and a person's acknowledgement.
import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../api/index.js';
import { acknowledgeAlert, listAlerts, type ServiceDeps } from '../../services/index.js';
import { route } from './route.js';

export function registerAlertRoutes(app: FastifyInstance, deps: { services: ServiceDeps }): void {
  route(app, endpoints.alerts, (req) =>
    listAlerts(deps.services, {
      ...(req.query.state !== undefined ? { state: req.query.state } : {}),
      limit: req.query.limit ?? 100,
    }),
  );

  route(app, endpoints.ackAlert, (req) =>
    acknowledgeAlert(deps.services, req.params.id, req.body.by ?? 'api'),
  );
}
