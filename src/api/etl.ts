// ETL resources: start a run (extract, validate, load raw, clean, quality, snapshot) and read the run log.
import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, Ticker } from './primitives.js';

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
export type EtlRequest = Static<typeof EtlRequestSchema>;

export const DatasetRefSchema = Type.Object({
  name: Type.String(),
  symbol: Type.String(),
  digest: Type.String({ description: 'sha256 of the snapshot bytes' }),
  uri: Type.String(),
  format: Type.Union([Type.Literal('parquet'), Type.Literal('digest-only')]),
  rows: Type.Integer(),
  from: Type.String(),
  to: Type.String(),
  bytes: Type.Integer(),
});

const EtlStepName = Type.Union(
  (['extract', 'validate', 'load_raw', 'clean', 'quality', 'snapshot'] as const).map((s) =>
    Type.Literal(s),
  ),
);

export const EtlRunSchema = Type.Object({
  id: Type.String(),
  status: Type.Union(
    (['running', 'completed', 'partial', 'failed'] as const).map((s) => Type.Literal(s)),
    { description: 'running, completed, partial (some tickers failed) or failed' },
  ),
  trigger: Type.String(),
  flowRunId: Type.Union([Type.String(), Type.Null()], {
    description: 'The etl flow run that ran it, when a flow did',
  }),
  tickers: Type.Array(Type.String()),
  startedAt: EpochMs,
  endedAt: Type.Union([EpochMs, Type.Null()]),
  steps: Type.Array(
    Type.Object({
      step: EtlStepName,
      ms: Type.Number(),
      counts: Type.Record(Type.String(), Type.Number()),
    }),
    { description: 'extract, validate, load_raw, clean, quality, snapshot' },
  ),
  results: Type.Array(
    Type.Object({
      symbol: Type.String(),
      status: Type.Union([Type.Literal('ok'), Type.Literal('failed')]),
      error: Type.Optional(
        Type.Object({
          step: EtlStepName,
          code: Type.String(),
          message: Type.String(),
          kind: Type.Optional(
            Type.String({
              description:
                'For SOURCE_ERROR: not_found (unknown symbol), rate_limited, unavailable (offline or the source is down), schema',
            }),
          ),
        }),
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
      check: Type.Union([Type.Literal('gaps'), Type.Literal('jumps'), Type.Literal('ohlc')]),
      status: Type.Union([Type.Literal('pass'), Type.Literal('warn'), Type.Literal('fail')]),
      count: Type.Integer(),
      examples: Type.Array(Type.String()),
    }),
  ),
});
export type EtlRun = Static<typeof EtlRunSchema>;

export const EtlRunsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    flowRun: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Only the ETL runs of this etl flow run (POST /api/etl answers its id)',
      }),
    ),
  },
  { additionalProperties: false },
);
export const EtlRunParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
