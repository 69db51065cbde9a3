// Request and response schemas: validated by Fastify and published as OpenAPI.
import { Type } from '@sinclair/typebox';

export const Ticker = Type.String({
  minLength: 1,
  maxLength: 21,
  description: 'Ticker symbol as Yahoo spells it, e.g. ^GSPC, AAPL, 2330.TW',
});
export const IsoDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'YYYY-MM-DD',
});
export const Horizon = Type.Union([Type.Literal(1), Type.Literal(5), Type.Literal(20)], {
  description: 'Forecast horizon in trading days',
});
export const ModelKindSchema = Type.Union([Type.Literal('naive'), Type.Literal('ridge')]);

export const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  }),
});

export const BarSchema = Type.Object({
  date: Type.String(),
  open: Type.Number(),
  high: Type.Number(),
  low: Type.Number(),
  close: Type.Number(),
  adjClose: Type.Number(),
  volume: Type.Union([Type.Number(), Type.Null()]),
});

export const TickerSummarySchema = Type.Object({
  symbol: Type.String(),
  firstDate: Type.String(),
  lastDate: Type.String(),
  rows: Type.Integer(),
});

export const PredictionSchema = Type.Object({
  ticker: Type.String(),
  asOf: Type.String(),
  horizon: Type.Integer(),
  targetDate: Type.String(),
  lastClose: Type.Number(),
  predictedClose: Type.Number(),
  predictedReturn: Type.Number({ description: 'Predicted log return over the horizon' }),
  modelVersion: Type.Integer(),
  model: Type.Object({
    name: Type.String(),
    version: Type.Integer(),
    kind: Type.String(),
    runId: Type.String(),
    metrics: Type.Record(Type.String(), Type.Number()),
  }),
  baseline: Type.Object(
    { predictedClose: Type.Number() },
    { description: 'Naive forecast: tomorrow = today' },
  ),
});

export const JobSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('completed'),
    Type.Literal('failed'),
  ]),
  result: Type.Optional(Type.Unknown()),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  createdAt: Type.Integer(),
  startedAt: Type.Optional(Type.Integer()),
  endedAt: Type.Optional(Type.Integer()),
});

export const ImportResultSchema = Type.Object({
  ticker: Type.String(),
  imported: Type.Integer(),
  duplicates: Type.Integer(),
  quarantined: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() })),
});

export const RunSchema = Type.Object({
  id: Type.String(),
  experimentId: Type.String(),
  experimentName: Type.String(),
  name: Type.String(),
  status: Type.String(),
  startTime: Type.Integer(),
  endTime: Type.Union([Type.Integer(), Type.Null()]),
  params: Type.Record(Type.String(), Type.String()),
  metrics: Type.Record(Type.String(), Type.Number()),
  tags: Type.Record(Type.String(), Type.String()),
  artifactUri: Type.String(),
});

export const ModelVersionSchema = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  source: Type.String(),
  runId: Type.String(),
  createdAt: Type.Integer(),
  tags: Type.Record(Type.String(), Type.String()),
  aliases: Type.Array(Type.String()),
});

export const RegisteredModelSchema = Type.Object({
  name: Type.String(),
  createdAt: Type.Integer(),
  latestVersion: Type.Union([Type.Integer(), Type.Null()]),
  aliases: Type.Record(Type.String(), Type.Integer()),
  versions: Type.Array(ModelVersionSchema),
});
