// Registry routes: registered models and versions, the alias audit log, manual champion moves.
import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../api/index.js';
import { championAt, listModels, setChampion, type ServiceDeps } from '../../services/index.js';
import { route } from './route.js';

export function registerModelRoutes(app: FastifyInstance, deps: { services: ServiceDeps }): void {
  route(app, endpoints.models, () => listModels(deps.services));

  route(app, endpoints.modelHistory, (req) => deps.services.aliasLog.list(req.params.name));

  route(app, endpoints.championAt, (req) =>
    championAt(deps.services, req.params.name, req.query.time),
  );

  route(app, endpoints.setChampion, (req) =>
    setChampion(deps.services, {
      name: req.params.name,
      version: req.body.version,
      reason: req.body.reason,
      actor: 'api',
    }),
  );
}
