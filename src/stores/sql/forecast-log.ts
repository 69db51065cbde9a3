// The forecast log on SQL (PGlite or PostgreSQL): one multi-row upsert per flush, keyset pages newest first.
import type {
  ForecastLog,
  ForecastLogQuery,
  ForecastLogRow,
  ForecastServes,
  ServedInterval,
} from '../../core/index.js';
import type { SqlClient, SqlValue } from './client.js';

interface Row {
  id: string | number;
  ticker: string;
  horizon: number;
  as_of: string;
  target_date: string;
  model_name: string;
  model_version: number;
  model_kind: string;
  run_id: string;
  feature_set: string;
  last_close: number;
  predicted_return: number;
  predicted_close: number;
  intervals: string;
  first_served_at: string | number;
  last_served_at: string | number;
  serve_count: string | number;
}

/**
 * Columns travel as one array each through unnest(), so the statement text is the same whatever the batch size
 * and a batch of thousands stays far under PostgreSQL's 65535-parameter limit.
 */
const UPSERT = `
  insert into forecast_log (ticker, horizon, as_of, target_date, model_name, model_version, model_kind, run_id,
    feature_set, last_close, predicted_return, predicted_close, intervals, first_served_at, last_served_at, serve_count)
  select * from unnest($1::text[], $2::int[], $3::date[], $4::date[], $5::text[], $6::int[], $7::text[], $8::text[],
    $9::text[], $10::float8[], $11::float8[], $12::float8[], $13::text[], $14::int8[], $15::int8[], $16::int8[])
  on conflict (ticker, horizon, as_of, model_name, model_version) do update set
    serve_count = forecast_log.serve_count + excluded.serve_count,
    first_served_at = least(forecast_log.first_served_at, excluded.first_served_at),
    last_served_at = greatest(forecast_log.last_served_at, excluded.last_served_at)`;

/** Dates as text: both engines then give YYYY-MM-DD whatever their date parsers. */
const COLUMNS = `id, ticker, horizon, as_of::text as as_of, target_date::text as target_date, model_name, model_version,
  model_kind, run_id, feature_set, last_close, predicted_return, predicted_close, intervals, first_served_at,
  last_served_at, serve_count`;

const toRow = (r: Row): ForecastLogRow => ({
  id: Number(r.id),
  ticker: r.ticker,
  horizon: r.horizon,
  asOf: r.as_of,
  targetDate: r.target_date,
  model: {
    name: r.model_name,
    version: r.model_version,
    kind: r.model_kind,
    runId: r.run_id,
    featureSet: r.feature_set,
  },
  lastClose: r.last_close,
  predictedReturn: r.predicted_return,
  predictedClose: r.predicted_close,
  intervals: JSON.parse(r.intervals) as ServedInterval[],
  firstServedAt: Number(r.first_served_at),
  lastServedAt: Number(r.last_served_at),
  serveCount: Number(r.serve_count),
});

export class SqlForecastLog implements ForecastLog {
  constructor(private readonly db: SqlClient) {}

  async record(entries: readonly ForecastServes[]): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    const col = <T extends string | number>(f: (e: ForecastServes) => T): T[] => entries.map(f);
    await this.db.query(UPSERT, [
      col((e) => e.forecast.ticker),
      col((e) => e.forecast.horizon),
      col((e) => e.forecast.asOf),
      col((e) => e.forecast.targetDate),
      col((e) => e.forecast.model.name),
      col((e) => e.forecast.model.version),
      col((e) => e.forecast.model.kind),
      col((e) => e.forecast.model.runId),
      col((e) => e.forecast.model.featureSet),
      col((e) => e.forecast.lastClose),
      col((e) => e.forecast.predictedReturn),
      col((e) => e.forecast.predictedClose),
      col((e) => JSON.stringify(e.forecast.intervals)),
      col((e) => e.firstServedAt),
      col((e) => e.lastServedAt),
      col((e) => e.count),
    ]);
  }

  async list(query: ForecastLogQuery): Promise<ForecastLogRow[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const add = (clause: (p: string) => string, value: SqlValue) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (query.ticker !== undefined) {
      add((p) => `ticker = ${p}`, query.ticker);
    }
    if (query.horizon !== undefined) {
      add((p) => `horizon = ${p}`, query.horizon);
    }
    if (query.model !== undefined) {
      add((p) => `model_name = ${p}`, query.model);
    }
    if (query.from !== undefined) {
      add((p) => `as_of >= ${p}::date`, query.from);
    }
    if (query.to !== undefined) {
      add((p) => `as_of <= ${p}::date`, query.to);
    }
    if (query.after) {
      params.push(query.after.asOf, query.after.id);
      where.push(`(as_of, id) < ($${params.length - 1}::date, $${params.length}::bigint)`);
    }
    params.push(query.limit);
    const rows = await this.db.query<Row>(
      `select ${COLUMNS} from forecast_log ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
       order by as_of desc, id desc limit $${params.length}`,
      params,
    );
    return rows.map(toRow);
  }
}
