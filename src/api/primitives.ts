// Scalar schemas shared by every resource: tickers, dates, horizons, model kinds, ids.
import { Type } from '@sinclair/typebox';
import { HORIZONS, MODEL_KINDS, SYMBOL_INPUT_PATTERN } from '../core/index.js';

export const Ticker = Type.String({
  pattern: SYMBOL_INPUT_PATTERN,
  description:
    "Ticker symbol as Yahoo spells it, e.g. ^GSPC, AAPL, 2330.TW (either case; stored in upper case): letters, digits, '.', '-', '=' and an optional leading '^', at most 20 characters after it",
  examples: ['^GSPC', 'AAPL', '2330.TW'],
});

export const IsoDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  format: 'date',
  description: 'A calendar date, YYYY-MM-DD',
});

export const Horizon = Type.Union(
  HORIZONS.map((h) => Type.Literal(h)),
  { description: 'Forecast horizon in trading days' },
);

export const ModelKind = Type.Union(
  MODEL_KINDS.map((k) => Type.Literal(k)),
  { description: 'naive (zero return), drift, ridge, gbdt (histogram boosted trees), ensemble' },
);

/** A tracked (experiment) run id: 32 hex digits, as MLflow makes them. */
export const RunId = Type.String({ pattern: '^[0-9a-f]{32}$' });

/** A flow run id (also the job id of /api/jobs). */
export const FlowRunId = Type.String({ minLength: 1, maxLength: 100 });

/** Milliseconds since the epoch. */
export const EpochMs = Type.Integer({ description: 'milliseconds since the epoch' });

/** A registered model name, `${symbol}.h${horizon}` for the models stockops trains. */
export const ModelName = Type.String({ minLength: 1, maxLength: 40 });
