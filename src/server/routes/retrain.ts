// Retrain policy routes: its settings (read, stored) and the log of its decisions.
import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../api/index.js';
import {
  getRetrainPolicy,
  listDecisions,
  putRetrainPolicy,
  type ServiceDeps,
} from '../../services/index.js';
import { route } from './route.js';

export function registerRetrainRoutes(app: FastifyInstance, deps: { services: ServiceDeps }): void {
  route(app, endpoints.retrainDecisions, (req) =>
    listDecisions(deps.services, {
      ...(req.query.model !== undefined ? { model: req.query.model } : {}),
      limit: req.query.limit ?? 50,
    }),
  );

  route(app, endpoints.retrainPolicy, () => getRetrainPolicy(deps.services));

  route(app, endpoints.putRetrainPolicy, (req) => putRetrainPolicy(deps.services, req.body, 'api'));
}
