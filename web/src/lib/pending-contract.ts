// Endpoints other issues add to the contract (issue 14: the forecast log; issue 16: alerts), as this UI expects them.
// Temporary: when those land in src/api, these entries are replaced by `endpoints.predictions` and `endpoints.alerts`
// and this file is deleted. Kept to the shapes the issues specify, and built with the contract's own helper.
import { endpoint, errorResponses } from '@stockops/api';
import { Type, type Static } from '@sinclair/typebox';

const Interval = Type.Object({ level: Type.Number(), lower: Type.Number(), upper: Type.Number() });

export const ForecastLogEntrySchema = Type.Object({
  ticker: Type.String(),
  horizon: Type.Integer(),
  asOf: Type.String(),
  targetDate: Type.String(),
  modelName: Type.String(),
  modelVersion: Type.Integer(),
  modelKind: Type.String(),
  predictedClose: Type.Number(),
  predictedReturn: Type.Number(),
  interval: Type.Array(Interval),
  firstServedAt: Type.Number(),
  serveCount: Type.Integer(),
  actualClose: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  error: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  held: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Boolean()), Type.Null()])),
});
export type ForecastLogEntry = Static<typeof ForecastLogEntrySchema>;

const AlertSchema = Type.Object({
  id: Type.Union([Type.String(), Type.Integer()]),
  rule: Type.String(),
  severity: Type.Optional(Type.String()),
  message: Type.String(),
  ticker: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  raisedAt: Type.Optional(Type.Number()),
});
export type Alert = Static<typeof AlertSchema>;

export const pendingEndpoints = {
  predictions: endpoint('GET', '/api/predictions', {
    tags: ['predict'],
    querystring: Type.Object({
      ticker: Type.Optional(Type.String()),
      horizon: Type.Optional(Type.Integer()),
      from: Type.Optional(Type.String()),
      to: Type.Optional(Type.String()),
      model: Type.Optional(Type.String()),
      limit: Type.Optional(Type.Integer()),
      cursor: Type.Optional(Type.String()),
    }),
    response: {
      200: Type.Object({
        items: Type.Array(ForecastLogEntrySchema),
        nextCursor: Type.Union([Type.String(), Type.Null()]),
      }),
      ...errorResponses(400, 404),
    },
  }),
  alerts: endpoint('GET', '/api/alerts', {
    tags: ['monitoring'],
    querystring: Type.Object({ state: Type.Optional(Type.String()) }),
    response: { 200: Type.Array(AlertSchema), ...errorResponses(404) },
  }),
};
