// System routes: liveness with the stores in use, Prometheus metrics and the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { endpoints, type Health } from '../../api/index.js';
import type { AppMetrics } from '../../metrics/index.js';
import { STOCKOPS_VERSION } from '../../version.js';
import { route } from './route.js';

export interface SystemRouteDeps {
  metrics: AppMetrics;
  /** Extra fields for /api/health (bootstrap progress, stores). */
  status?: () => Omit<Health, 'status' | 'version'>;
}

export function registerSystemRoutes(app: FastifyInstance, deps: SystemRouteDeps): void {
  route(app, endpoints.health, () => ({
    status: 'ok' as const,
    version: STOCKOPS_VERSION,
    ...(deps.status?.() ?? {}),
  }));
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    void reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
