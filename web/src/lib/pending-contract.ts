// Endpoints another issue adds to the contract (issue 16: alerts), as this UI expects them.
// Temporary: when it lands in src/api, this entry is replaced by `endpoints.alerts`
// and this file is deleted. Kept to the shapes the issues specify, and built with the contract's own helper.
import { endpoint, errorResponses } from '@stockops/api';
import { Type, type Static } from '@sinclair/typebox';

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
  alerts: endpoint('GET', '/api/alerts', {
    tags: ['monitoring'],
    querystring: Type.Object({ state: Type.Optional(Type.String()) }),
    response: { 200: Type.Array(AlertSchema), ...errorResponses(404) },
  }),
};
