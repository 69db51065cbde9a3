// Scalar schemas shared by every resource: tickers, dates, horizons, model kinds, ids, free text. Each pattern is the
// one the server enforces, so the OpenAPI document says exactly what is accepted.
import { Type, type StringOptions } from '@sinclair/typebox';
import { HORIZONS, MIN_DATE, MODEL_KINDS, SYMBOL_INPUT_PATTERN } from '../core/index.js';

export const Ticker = Type.String({
  pattern: SYMBOL_INPUT_PATTERN,
  description:
    "Ticker symbol as Yahoo spells it, e.g. ^GSPC, AAPL, 2330.TW (either case; stored in upper case): letters, digits, '.', '-', '=' and an optional leading '^', at most 20 characters after it",
  examples: ['^GSPC', 'AAPL', '2330.TW'],
});

/**
 * YYYY-MM-DD with a year from 1900 to `lastYear` (2000..2099), as a pattern: e.g. 2027 gives
 * `19[0-9]{2}|20[0-1][0-9]|202[0-7]`.
 */
export function isoDatePattern(lastYear: number): string {
  const d = Math.floor((lastYear - 2000) / 10);
  const u = lastYear % 10;
  const years = ['19[0-9]{2}', ...(d > 0 ? [`20[0-${d - 1}][0-9]`] : []), `20${d}[0-${u}]`];
  return `^(${years.join('|')})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`;
}

/**
 * A date from 1900-01-01 to the end of next year. The years are stated in the pattern (computed when the contract
 * loads) and checked again by the shared date check (dateProblem) on every request, which also rules out the days a
 * pattern cannot (February 30th).
 */
export const IsoDate = Type.String({
  pattern: isoDatePattern(new Date().getUTCFullYear() + 1),
  format: 'date',
  description: `A calendar date, YYYY-MM-DD, from ${MIN_DATE} to the end of next year`,
});

/** No C0 control character (NUL included) and no DEL: PostgreSQL text cannot hold NUL, and logs should not. */
export const SAFE_TEXT_PATTERN = '^[^\\u0000-\\u001F\\u007F]*$';

/** Free text a person writes (a reason, a description): any printable character, no control characters. */
export const SafeText = (options: StringOptions = {}) =>
  Type.String({ pattern: SAFE_TEXT_PATTERN, ...options });

/** Free text over several lines (a description): like SafeText, with tabs and line breaks allowed. */
export const SAFE_PROSE_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';

/** Like SafeText, and with at least one character that is not a space (a reason must say something). */
export const NON_BLANK_TEXT_PATTERN =
  '^[^\\u0000-\\u001F\\u007F]*[^\\u0000-\\u0020\\u007F][^\\u0000-\\u001F\\u007F]*$';

/** Largest value of a SQL `integer` column (int32), e.g. model versions. */
export const INT32_MAX = 2147483647;

/**
 * The id of a row keyed by a `bigserial` (reports, alerts, approvals): bounded by the largest integer JavaScript
 * holds exactly, which a bigint column also holds, so a longer number is a 400, not a database error.
 */
export const SerialId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

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

/** A flow run id (also the job id of /api/jobs): a UUID here, a queue's own id for jobs started outside the flow store. */
export const FLOW_RUN_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$';
export const FlowRunId = Type.String({
  pattern: FLOW_RUN_ID_PATTERN,
  description: "Letters, digits, ':', '.', '_' and '-', at most 100 characters, e.g. a UUID",
});

/** A flow's name, e.g. `etl`, `retrain-all`. */
export const FlowName = Type.String({
  pattern: '^[a-z][a-z0-9-]{0,59}$',
  description: "Lower-case letters, digits and '-', at most 60 characters",
});

/** A schedule's stable id, e.g. `etl-us`. */
export const ScheduleId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
  description: "Letters, digits, '.', '_' and '-', at most 100 characters",
});

/** An ETL run id (a UUID). */
export const EtlRunId = Type.String({ pattern: '^[0-9a-f-]{36}$' });

/** Milliseconds since the epoch. */
export const EpochMs = Type.Integer({ description: 'milliseconds since the epoch' });

/** A registered model version (a SQL integer). */
export const Version = Type.Integer({ minimum: 1, maximum: INT32_MAX });

/** A registered model name, `${symbol}.h${horizon}` as stockops makes them (e.g. ^GSPC.h1, 2330.TW.h5). */
export const ModelName = Type.String({
  pattern: `${SYMBOL_INPUT_PATTERN.replace(/\$$/, '')}\\.h[0-9]{1,2}$`,
  description: 'The ticker symbol, ".h" and the horizon, e.g. ^GSPC.h1 or 2330.TW.h5',
  examples: ['^GSPC.h1'],
});
