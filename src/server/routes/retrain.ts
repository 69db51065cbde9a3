// Retrain policy routes: its settings (read, stored), the log of its decisions, and the promotions it holds for approval.
import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../api/index.js';
import {
  approvePromotion,
  getRetrainPolicy,
  listApprovals,
  listDecisions,
  putRetrainPolicy,
  rejectPromotion,
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

  route(app, endpoints.approvals, (req) =>
    listApprovals(deps.services, {
      ...(req.query.state !== undefined ? { state: req.query.state } : {}),
      ...(req.query.model !== undefined ? { model: req.query.model } : {}),
      limit: req.query.limit ?? 100,
    }),
  );

  route(app, endpoints.approve, (req) =>
    approvePromotion(deps.services, req.params.id, req.body.by ?? 'api'),
  );

  route(app, endpoints.reject, (req) =>
    rejectPromotion(deps.services, req.params.id, req.body.by ?? 'api', req.body.reason ?? ''),
  );
}
