// Forecast route: the close for each of the next N trading days with conformal intervals.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { forecast, type ModelCache, type ServiceDeps } from '../services/index.js';
import { ErrorSchema, PriceIntervalSchema, Ticker } from './schemas.js';

export interface ForecastRouteDeps {
  services: ServiceDeps;
  modelCache: ModelCache;
}

const ForecastSchema = Type.Object({
  ticker: Type.String(),
  asOf: Type.String(),
  lastClose: Type.Number(),
  days: Type.Integer(),
  models: Type.Array(
    Type.Object({
      horizon: Type.Integer(),
      name: Type.String(),
      version: Type.Integer(),
      kind: Type.String(),
    }),
    { description: 'The champions (horizons 1, 5, 20) the path is built from' },
  ),
  path: Type.Array(
    Type.Object({
      day: Type.Integer(),
      date: Type.String(),
      predictedReturn: Type.Number(),
      predictedClose: Type.Number(),
      interval: Type.Array(PriceIntervalSchema),
      source: Type.Union([Type.Literal('model'), Type.Literal('interpolated')], {
        description:
          'model: a champion for exactly this horizon; interpolated: between horizons (linear in return, in variance for widths) or past the last one (sqrt-time widths)',
      }),
    }),
  ),
});

export function registerForecastRoutes(instance: FastifyInstance, deps: ForecastRouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/forecast',
    {
      schema: {
        tags: ['predict'],
        description:
          'Predicted close for each of the next `days` trading days (exchange calendar), each with 80%/95% intervals.',
        querystring: Type.Object(
          { ticker: Ticker, days: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) },
          { additionalProperties: false },
        ),
        response: { 200: ForecastSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    (req) =>
      forecast(deps.services, deps.modelCache, {
        ticker: req.query.ticker,
        days: req.query.days ?? 20,
      }),
  );
}
