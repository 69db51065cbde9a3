// Serving routes: one horizon's forecast and the path over the next trading days.
import type { FastifyInstance } from 'fastify';
import { normalizeSymbol } from '../../core/index.js';
import { endpoints } from '../../api/index.js';
import type { AppMetrics } from '../../metrics/index.js';
import { forecast, predict, type ServiceDeps, type ServingCache } from '../../services/index.js';
import { route } from './route.js';

export interface PredictRouteDeps {
  services: ServiceDeps;
  serving: ServingCache;
  metrics: AppMetrics;
}

export function registerPredictRoutes(app: FastifyInstance, deps: PredictRouteDeps): void {
  route(app, endpoints.predict, async (req) => {
    const p = await predict(deps.services, deps.serving, {
      ticker: normalizeSymbol(req.query.ticker),
      horizon: req.query.horizon ?? 1,
    });
    deps.metrics.predictions.inc({ ticker: p.ticker, horizon: String(p.horizon) });
    deps.metrics.traffic.countPrediction();
    return p;
  });

  route(app, endpoints.forecast, async (req) => {
    const f = await forecast(deps.services, deps.serving, {
      ticker: normalizeSymbol(req.query.ticker),
      days: req.query.days ?? 20,
    });
    // A path serves one forecast per champion it is built from.
    deps.metrics.traffic.countPrediction(f.models.length);
    return f;
  });
}
