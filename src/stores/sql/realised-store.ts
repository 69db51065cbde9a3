// Realised accuracy on SQL: one row per model version and window end, upserted by the monitor flow.
import type { RealisedAccuracyStore, RealisedPoint, RealisedQuery } from '../../core/index.js';
import type { SqlClient, SqlValue } from './client.js';

interface Row {
  ticker: string;
  horizon: number;
  model_name: string;
  model_version: number;
  /** Read as text (`::text`): YYYY-MM-DD on PostgreSQL and PGlite alike. */
  window_from: string;
  window_to: string;
  matured: number;
  rmse: number;
  rmse_naive: number;
  skill: number;
  direction_accuracy: number;
  up_rate: number;
  coverage: string;
  computed_at: string | number;
  monitor_run_id: string | null;
}

const pointOf = (r: Row): RealisedPoint => ({
  ticker: r.ticker,
  horizon: r.horizon,
  model: r.model_name,
  version: r.model_version,
  from: r.window_from,
  to: r.window_to,
  matured: r.matured,
  rmse: r.rmse,
  rmseNaive: r.rmse_naive,
  skill: r.skill,
  directionAccuracy: r.direction_accuracy,
  upRate: r.up_rate,
  coverage: JSON.parse(r.coverage) as Record<string, number>,
  computedAt: Number(r.computed_at),
  monitorRunId: r.monitor_run_id,
});

export class SqlRealisedAccuracyStore implements RealisedAccuracyStore {
  constructor(private readonly db: SqlClient) {}

  async save(p: RealisedPoint): Promise<void> {
    await this.db.query(
      `insert into realised_accuracy (ticker, horizon, model_name, model_version, window_from, window_to, matured,
         rmse, rmse_naive, skill, direction_accuracy, up_rate, coverage, computed_at, monitor_run_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       on conflict (model_name, model_version, window_to) do update set
         window_from = excluded.window_from, matured = excluded.matured, rmse = excluded.rmse,
         rmse_naive = excluded.rmse_naive, skill = excluded.skill, direction_accuracy = excluded.direction_accuracy,
         up_rate = excluded.up_rate, coverage = excluded.coverage, computed_at = excluded.computed_at,
         monitor_run_id = excluded.monitor_run_id`,
      [
        p.ticker,
        p.horizon,
        p.model,
        p.version,
        p.from,
        p.to,
        p.matured,
        p.rmse,
        p.rmseNaive,
        p.skill,
        p.directionAccuracy,
        p.upRate,
        JSON.stringify(p.coverage),
        p.computedAt,
        p.monitorRunId,
      ],
    );
  }

  async list(q: RealisedQuery): Promise<RealisedPoint[]> {
    const where: string[] = [];
    const args: SqlValue[] = [];
    const add = (sql: string, v: SqlValue) => {
      args.push(v);
      where.push(`${sql} $${args.length}`);
    };
    if (q.ticker !== undefined) {
      add('ticker =', q.ticker);
    }
    if (q.horizon !== undefined) {
      add('horizon =', q.horizon);
    }
    if (q.model !== undefined) {
      add('model_name =', q.model);
    }
    if (q.version !== undefined) {
      add('model_version =', q.version);
    }
    if (q.from !== undefined) {
      add('window_to >=', q.from);
    }
    if (q.to !== undefined) {
      add('window_to <=', q.to);
    }
    args.push(q.limit);
    const rows = await this.db.query<Row>(
      `select ticker, horizon, model_name, model_version, window_from::text as window_from,
         window_to::text as window_to, matured, rmse, rmse_naive, skill, direction_accuracy, up_rate, coverage,
         computed_at, monitor_run_id
       from realised_accuracy ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
       order by window_to desc, model_name, model_version desc limit $${args.length}`,
      args,
    );
    return rows.map(pointOf);
  }
}
