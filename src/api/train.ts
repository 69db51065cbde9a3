// Training resources: start a train flow run, and the job view of a flow run kept for older clients.
import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, FlowRunId, Horizon, ModelKind, Ticker } from './primitives.js';

/** A value per interval level, keyed by the level in percent ("80", "95"). */
const ByLevel = Type.Record(Type.String(), Type.Number(), {
  description: 'keyed by the interval level in percent, e.g. "80", "95"',
});

export const TrainRequestSchema = Type.Object(
  {
    ticker: Ticker,
    model: Type.Optional(ModelKind),
    horizon: Type.Optional(Horizon),
  },
  { additionalProperties: false },
);
export type TrainRequest = Static<typeof TrainRequestSchema>;

/** A started flow run: `id`, as every flow start answers, and `jobId`, the same id under its older name. */
export const JobAcceptedSchema = Type.Object({
  id: Type.String({ description: 'The flow run id; poll GET /api/flow-runs/{id}' }),
  jobId: Type.String({
    description: 'The same id, the name older clients read (GET /api/jobs/{id} answers it too)',
  }),
});
export type JobAccepted = Static<typeof JobAcceptedSchema>;

export const JobStatusSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);

export const JobParams = Type.Object({ id: FlowRunId });

/** A flow run in the job shape `/api/jobs/{id}` has always answered with. */
export const JobSchema = Type.Object({
  id: Type.String(),
  name: Type.String({ description: 'The flow' }),
  status: JobStatusSchema,
  result: Type.Optional(Type.Unknown()),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  createdAt: EpochMs,
  startedAt: Type.Optional(EpochMs),
  endedAt: Type.Optional(EpochMs),
});
export type Job = Static<typeof JobSchema>;

/** Walk-forward scores of a training, every one beside naive on the same out-of-sample rows. */
export const TrainMetricsSchema = Type.Object({
  rmse: Type.Number({ description: 'RMSE of log returns, out of sample' }),
  rmseNaive: Type.Number(),
  skill: Type.Number({ description: '1 - rmse / rmseNaive' }),
  directionAccuracy: Type.Number(),
  upRate: Type.Number({ description: 'Share of up moves: the direction accuracy of "always up"' }),
  mae: Type.Number(),
  mape: Type.Number(),
  dmPValue: Type.Number({ description: 'Diebold-Mariano p-value against naive' }),
  folds: Type.Integer(),
  intervalMethod: Type.Union([Type.Literal('absolute'), Type.Literal('volatility')], {
    description: 'How the conformal scores were made: scaled by volatility, or absolute residuals',
  }),
  coverage: ByLevel,
  coverageByVolatility: Type.Object(
    { low: ByLevel, mid: ByLevel, high: ByLevel },
    {
      description:
        'Coverage in each third of the test days sorted by the volatility known at forecast time',
    },
  ),
  intervalWidth: ByLevel,
  intervalScore: ByLevel,
});
export type TrainMetrics = Static<typeof TrainMetricsSchema>;
export type CoverageByVolatility = TrainMetrics['coverageByVolatility'];

/** The result of a `train` flow run (what /api/jobs/{id} and /api/flow-runs/{id} answer as `result`). */
export const TrainResultSchema = Type.Object({
  runId: Type.String(),
  modelName: Type.String(),
  modelVersion: Type.Integer(),
  promoted: Type.Boolean(),
  decision: Type.String({
    description: 'Why the version did or did not become champion, with the numbers',
  }),
  metrics: TrainMetricsSchema,
});
export type TrainFlowResult = Static<typeof TrainResultSchema>;

/**
 * Headers of the routes that start a flow run. A client that retries with the same key (after a dropped
 * connection, or nginx giving up on a replica) gets the run the first request started instead of a second one.
 */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Any unique string per intended run (e.g. a UUID); a retry with the same key returns the same run',
    }),
  ),
});
