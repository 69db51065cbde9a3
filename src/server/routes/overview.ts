// Overview route: the home page's tickers, champions, latest forecasts and last runs in one answer.
import type { FastifyInstance } from 'fastify';
import type { FlowService } from '../../core/index.js';
import { endpoints } from '../../api/index.js';
import { overview, type ServiceDeps, type ServingCache } from '../../services/index.js';
import { route } from './route.js';

export function registerOverviewRoutes(
  app: FastifyInstance,
  deps: { services: ServiceDeps; serving: ServingCache; flows: FlowService },
): void {
  route(app, endpoints.overview, () => overview(deps.services, deps.serving, deps.flows));
}
