// Serving routes: one horizon's forecast, a batch of them, the path over the next trading days, and the forecast log.
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
import { route, type RouteHooks } from './route.js';

export interface PredictRouteDeps {
  services: ServiceDeps;
  serving: ServingCache;
}

const serializeStarted = new WeakMap<FastifyRequest, number>();

/** Times the serialisation of a serving answer (the `serialize` stage of stockops_predict_stage_seconds). */
function serializeTimer(services: ServiceDeps): RouteHooks {
  const onStage = services.onStage;
  if (!onStage) {
    return {};
  }
  return {
    preSerialization: (req, _reply, payload, done) => {
      serializeStarted.set(req, performance.now());
      done(null, payload);
    },
    onSend: (req, _reply, payload, done) => {
      const t = serializeStarted.get(req);
      if (t !== undefined) {
        onStage('serialize', (performance.now() - t) / 1000);
      }
      done(null, payload);
    },
  };
}

export function registerPredictRoutes(app: FastifyInstance, deps: PredictRouteDeps): void {
  const timed = serializeTimer(deps.services);

  route(
    app,
    endpoints.predict,
    (req) =>
      predict(deps.services, deps.serving, {
        ticker: normalizeSymbol(req.query.ticker),
        horizon: req.query.horizon ?? 1,
      }),
    timed,
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
    timed,
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
