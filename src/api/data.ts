// Data resources: tickers, price history, CSV import and the quarantine.
import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, IsoDate, Ticker } from './primitives.js';

export const TickerSummarySchema = Type.Object({
  symbol: Type.String(),
  firstDate: Type.String(),
  lastDate: Type.String(),
  rows: Type.Integer(),
});
export type TickerSummary = Static<typeof TickerSummarySchema>;

export const BarSchema = Type.Object({
  date: Type.String(),
  open: Type.Number(),
  high: Type.Number(),
  low: Type.Number(),
  close: Type.Number(),
  adjClose: Type.Number(),
  volume: Type.Union([Type.Number(), Type.Null()]),
});
export type ApiBar = Static<typeof BarSchema>;

export const HistoryParams = Type.Object({ symbol: Ticker });
export const HistoryQuery = Type.Object(
  { from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) },
  { additionalProperties: false },
);
export const HistorySchema = Type.Object({ symbol: Type.String(), bars: Type.Array(BarSchema) });
export type History = Static<typeof HistorySchema>;

export const ImportQuery = Type.Object({ ticker: Ticker }, { additionalProperties: false });
export const ImportResultSchema = Type.Object({
  ticker: Type.String(),
  imported: Type.Integer(),
  duplicates: Type.Integer(),
  quarantined: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() })),
});
export type ImportResult = Static<typeof ImportResultSchema>;

export const QuarantineQuery = Type.Object(
  { ticker: Type.Optional(Ticker) },
  { additionalProperties: false },
);
export const QuarantineEntrySchema = Type.Object({
  id: Type.Integer(),
  symbol: Type.String(),
  source: Type.String(),
  line: Type.Integer(),
  reason: Type.String(),
  raw: Type.String(),
  createdAt: Type.String(),
});
export type QuarantineEntry = Static<typeof QuarantineEntrySchema>;

const QualityCheckSchema = Type.Object({
  check: Type.Union([Type.Literal('gaps'), Type.Literal('jumps'), Type.Literal('ohlc')]),
  status: Type.Union([Type.Literal('pass'), Type.Literal('warn'), Type.Literal('fail')]),
  count: Type.Integer(),
  examples: Type.Array(Type.String()),
});

/** One ticker's data set: where it trades, its range, and how the last ETL that touched it went. */
export const TickerDetailSchema = Type.Object({
  symbol: Type.String(),
  exchange: Type.String({ description: "From the symbol's Yahoo suffix, e.g. TWSE for .TW" }),
  currency: Type.String({
    description: 'ISO 4217, or "unknown" for a suffix stockops does not know',
  }),
  firstDate: Type.String(),
  lastDate: Type.String(),
  rows: Type.Integer({ description: 'Bars in the cleaned series' }),
  lastClose: Type.Union([Type.Number(), Type.Null()]),
  quarantined: Type.Integer({ description: 'Rows in the quarantine for this ticker' }),
  lastEtl: Type.Union(
    [
      Type.Object({
        runId: Type.String(),
        runStatus: Type.String({
          description: 'The whole ETL run: running, completed, partial, failed',
        }),
        status: Type.Union([Type.Literal('ok'), Type.Literal('failed')], {
          description: 'This ticker in that run',
        }),
        startedAt: EpochMs,
        endedAt: Type.Union([EpochMs, Type.Null()]),
        fetched: Type.Integer(),
        inserted: Type.Integer(),
        updated: Type.Integer(),
        quarantined: Type.Integer(),
        error: Type.Optional(
          Type.Object({
            step: Type.String(),
            code: Type.String(),
            message: Type.String(),
            kind: Type.Optional(Type.String()),
          }),
        ),
        quality: Type.Array(QualityCheckSchema),
      }),
      Type.Null(),
    ],
    { description: 'The newest ETL run that included the ticker (CSV imports are not ETL runs)' },
  ),
});
export type TickerDetail = Static<typeof TickerDetailSchema>;
