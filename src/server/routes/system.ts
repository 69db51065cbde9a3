// System routes: liveness with the stores in use, readiness, Prometheus metrics and the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { endpoints, type Health } from '../../api/index.js';
import { ServiceRefusal } from '../errors.js';
import type { AppMetrics } from '../../metrics/index.js';
import { STOCKOPS_VERSION } from '../../version.js';
import { route } from './route.js';

/** Where a replica is in its life: warming up, serving, or draining after SIGTERM. */
export interface Readiness {
  state: 'starting' | 'ready' | 'draining';
  /** Champion versions loaded. */
  champions: number;
  /** What it waits for while starting (bootstrap, warm-up). */
  reason?: string;
}

export interface SystemRouteDeps {
  metrics: AppMetrics;
  /** Readiness of this replica; absent means ready (an app built without a start-up sequence, in tests). */
  readiness?: () => Readiness;
  instance: string;
  /** Extra fields for /api/health (bootstrap progress, stores). */
  status?: () => Omit<Health, 'status' | 'version'>;
}

export function registerSystemRoutes(app: FastifyInstance, deps: SystemRouteDeps): void {
  route(app, endpoints.health, () => ({
    status: 'ok' as const,
    version: STOCKOPS_VERSION,
    ...(deps.status?.() ?? {}),
  }));
  route(app, endpoints.ready, () => {
    const r = deps.readiness?.() ?? { state: 'ready' as const, champions: 0 };
    if (r.state !== 'ready') {
      deps.metrics.rejected.inc({ reason: 'not_ready' });
      throw new ServiceRefusal(
        503,
        'NOT_READY',
        r.state === 'draining'
          ? 'This replica is draining (SIGTERM): it finishes what it has and takes nothing new.'
          : `This replica is starting: ${r.reason ?? 'loading the champions'}.`,
        r.state === 'draining' ? 5 : 2,
      );
    }
    return { status: 'ready' as const, champions: r.champions, instance: deps.instance };
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    void reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
