// Serving routes: one horizon's forecast, a batch of them, the path over the next trading days, and the forecast log.
import type { FastifyInstance } from 'fastify';
import { normalizeSymbol } from '../../core/index.js';
import { endpoints } from '../../api/index.js';
import {
  forecast,
  listPredictions,
  predict,
  predictBatch,
  type ServiceDeps,
  type ServingCache,
} from '../../services/index.js';
import { route, type SerializeOnce } from './route.js';

export interface PredictRouteDeps {
  services: ServiceDeps;
  serving: ServingCache;
}

/** The serving routes' answers are serialised once per answer and timed (the `serialize` stage). */
const serializeOnce = (services: ServiceDeps): SerializeOnce => {
  const onStage = services.onStage;
  return onStage
    ? {
        onSerialized: (seconds) => {
          onStage('serialize', seconds);
        },
      }
    : {};
};

export function registerPredictRoutes(app: FastifyInstance, deps: PredictRouteDeps): void {
  const once = serializeOnce(deps.services);

  route(
    app,
    endpoints.predict,
    (req) =>
      predict(deps.services, deps.serving, {
        ticker: normalizeSymbol(req.query.ticker),
        horizon: req.query.horizon ?? 1,
      }),
    once,
  );

  route(
    app,
    endpoints.predictBatch,
    (req) =>
      predictBatch(
        deps.services,
        deps.serving,
        req.body.items.map((i) => ({
          ticker: normalizeSymbol(i.ticker, 'items.ticker'),
          horizon: i.horizon ?? 1,
        })),
      ),
    once,
  );

  route(app, endpoints.forecast, (req) =>
    forecast(deps.services, deps.serving, {
      ticker: normalizeSymbol(req.query.ticker),
      days: req.query.days ?? 20,
    }),
  );

  route(app, endpoints.predictions, (req) =>
    listPredictions(deps.services, {
      ...req.query,
      ticker: req.query.ticker === undefined ? undefined : normalizeSymbol(req.query.ticker),
      limit: req.query.limit ?? 50,
    }),
  );
}
