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
export const ModelKindSchema = Type.Union(
  [
    Type.Literal('naive'),
    Type.Literal('drift'),
    Type.Literal('ridge'),
    Type.Literal('gbdt'),
    Type.Literal('ensemble'),
  ],
  { description: 'naive (zero return), drift, ridge, gbdt (histogram boosted trees), ensemble' },
);

export const PriceIntervalSchema = Type.Object({
  level: Type.Number({ description: 'Nominal coverage, e.g. 0.8' }),
  lower: Type.Number(),
  upper: Type.Number(),
});

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
    featureSet: Type.Optional(Type.String({ description: 'id@version the model was trained on' })),
    metrics: Type.Record(Type.String(), Type.Number()),
  }),
  baseline: Type.Object(
    { predictedClose: Type.Number() },
    { description: 'Naive forecast: tomorrow = today' },
  ),
  interval: Type.Array(PriceIntervalSchema, {
    description:
      'Conformal intervals of the close at targetDate (80% and 95%), calibrated online by adaptive conformal inference; empty for models trained without calibration',
  }),
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
  datasets: Type.Optional(
    Type.Array(
      Type.Object(
        {
          name: Type.String(),
          digest: Type.String({ description: 'sha256 of the Parquet snapshot the run trained on' }),
          source: Type.String({ description: 'URI of that snapshot' }),
          from: Type.String(),
          to: Type.String(),
          rows: Type.Integer(),
        },
        { description: "The run's data set (MLflow run input)" },
      ),
    ),
  ),
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

export const AliasMoveSchema = Type.Object({
  name: Type.String(),
  alias: Type.Literal('champion'),
  fromVersion: Type.Union([Type.Integer(), Type.Null()]),
  toVersion: Type.Integer(),
});

const Counts = Type.Record(Type.String(), Type.Number());

export const EtlRequestSchema = Type.Object(
  {
    tickers: Type.Optional(
      Type.Array(Ticker, {
        minItems: 1,
        maxItems: 200,
        description: 'default: AAPL, TSM, 2330.TW, ^GSPC',
      }),
    ),
    full: Type.Optional(
      Type.Boolean({ description: 'fetch the full history even for stored tickers' }),
    ),
    snapshot: Type.Optional(
      Type.Boolean({ description: 'write Parquet snapshots of the cleaned series (default true)' }),
    ),
  },
  { additionalProperties: false },
);

export const DatasetRefSchema = Type.Object({
  name: Type.String(),
  symbol: Type.String(),
  digest: Type.String({ description: 'sha256 of the snapshot bytes' }),
  uri: Type.String(),
  format: Type.String(),
  rows: Type.Integer(),
  from: Type.String(),
  to: Type.String(),
  bytes: Type.Integer(),
});

export const EtlRunSchema = Type.Object({
  id: Type.String(),
  status: Type.String({
    description: 'running, completed, partial (some tickers failed) or failed',
  }),
  trigger: Type.String(),
  tickers: Type.Array(Type.String()),
  startedAt: Type.Integer(),
  endedAt: Type.Union([Type.Integer(), Type.Null()]),
  steps: Type.Array(Type.Object({ step: Type.String(), ms: Type.Number(), counts: Counts }), {
    description: 'extract, validate, load_raw, clean, quality, snapshot',
  }),
  results: Type.Array(
    Type.Object({
      symbol: Type.String(),
      status: Type.String(),
      error: Type.Optional(
        Type.Object({ step: Type.String(), code: Type.String(), message: Type.String() }),
      ),
      fetched: Type.Integer(),
      quarantined: Type.Integer(),
      inserted: Type.Integer(),
      updated: Type.Integer(),
      unchanged: Type.Integer(),
      actions: Type.Integer(),
      cleanRows: Type.Integer(),
      from: Type.Union([Type.String(), Type.Null()]),
      to: Type.Union([Type.String(), Type.Null()]),
      snapshot: Type.Optional(DatasetRefSchema),
    }),
  ),
  quality: Type.Array(
    Type.Object({
      symbol: Type.String(),
      check: Type.String(),
      status: Type.String(),
      count: Type.Integer(),
      examples: Type.Array(Type.String()),
    }),
  ),
});

export const FlowRunStateSchema = Type.Union(
  ['Scheduled', 'Queued', 'Running', 'Completed', 'Failed', 'Cancelled', 'Crashed', 'Retrying'].map(
    (s) => Type.Literal(s),
  ),
);

export const FlowRunSchema = Type.Object({
  id: Type.String(),
  flow: Type.String(),
  state: FlowRunStateSchema,
  attempts: Type.Integer(),
  parameters: Type.Record(Type.String(), Type.Unknown()),
  result: Type.Unknown(),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  parentId: Type.Union([Type.String(), Type.Null()]),
  scheduleId: Type.Union([Type.String(), Type.Null()]),
  worker: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Integer(),
  startedAt: Type.Union([Type.Integer(), Type.Null()]),
  endedAt: Type.Union([Type.Integer(), Type.Null()]),
});

export const TaskRunSchema = Type.Object({
  task: Type.String(),
  state: FlowRunStateSchema,
  attempts: Type.Integer(),
  idempotencyKey: Type.String(),
  result: Type.Unknown(),
  error: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.Union([Type.Integer(), Type.Null()]),
  endedAt: Type.Union([Type.Integer(), Type.Null()]),
});

export const FlowLogSchema = Type.Object({
  at: Type.Integer(),
  level: Type.String(),
  task: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
});

export const FlowRunDetailSchema = Type.Composite([
  FlowRunSchema,
  Type.Object({ taskRuns: Type.Array(TaskRunSchema), logs: Type.Array(FlowLogSchema) }),
]);

export const FlowInfoSchema = Type.Object({
  name: Type.String(),
  description: Type.String(),
  tasks: Type.Array(Type.String()),
  parameters: Type.Record(
    Type.String(),
    Type.Object({
      type: Type.String(),
      description: Type.String(),
      default: Type.Optional(Type.Unknown()),
    }),
  ),
});

export const ScheduleSchema = Type.Object({
  id: Type.String(),
  flow: Type.String(),
  cron: Type.String(),
  timezone: Type.String(),
  parameters: Type.Record(Type.String(), Type.Unknown()),
  enabled: Type.Boolean(),
  description: Type.String(),
  updatedAt: Type.Integer(),
  nextRunAt: Type.Union([Type.Integer(), Type.Null()]),
});
