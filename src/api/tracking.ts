// Tracking resources: experiment runs (MLflow's model) with params, metrics by step, tags and their data set.
import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, Horizon, RunId, Ticker } from './primitives.js';

export const RunStatusSchema = Type.Union([
  Type.Literal('RUNNING'),
  Type.Literal('FINISHED'),
  Type.Literal('FAILED'),
  Type.Literal('KILLED'),
]);

export const DatasetInputSchema = Type.Object(
  {
    name: Type.String(),
    digest: Type.String({ description: 'sha256 of the Parquet snapshot the run trained on' }),
    source: Type.String({ description: 'URI of that snapshot' }),
    from: Type.String(),
    to: Type.String(),
    rows: Type.Integer(),
  },
  { description: "The run's data set (MLflow run input)" },
);

export const RunSchema = Type.Object({
  id: Type.String(),
  experimentId: Type.String(),
  experimentName: Type.String(),
  name: Type.String(),
  status: RunStatusSchema,
  startTime: EpochMs,
  endTime: Type.Union([EpochMs, Type.Null()]),
  params: Type.Record(Type.String(), Type.String()),
  metrics: Type.Record(Type.String(), Type.Number(), {
    description: 'Latest value of each metric',
  }),
  tags: Type.Record(Type.String(), Type.String()),
  artifactUri: Type.String(),
  datasets: Type.Optional(Type.Array(DatasetInputSchema)),
});
export type Run = Static<typeof RunSchema>;

export const RunsQuery = Type.Object(
  {
    ticker: Type.Optional(Ticker),
    horizon: Type.Optional(Horizon),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const RunParams = Type.Object({ runId: RunId });

export const MetricParams = Type.Object({
  runId: RunId,
  key: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$' }),
});

export const MetricPointSchema = Type.Object({
  key: Type.String(),
  value: Type.Number(),
  step: Type.Integer(),
  timestamp: EpochMs,
});
export type MetricPoint = Static<typeof MetricPointSchema>;
