// The ETL run log on SQL: one row per run with its step counts and per-ticker results, quality checks beside it.
import {
  EtlRunNotFoundError,
  type EtlRunLog,
  type EtlRunRecord,
  type EtlRunStatus,
  type EtlStepReport,
  type EtlTickerResult,
  type QualityCheck,
} from '../../core/index.js';
import type { SqlClient } from './client.js';

interface RunRow {
  id: string;
  status: EtlRunStatus;
  trigger: string;
  flow_run_id: string | null;
  tickers: string;
  started_at: string | number;
  ended_at: string | number | null;
  steps: string;
  results: string;
}

export class SqlEtlRunLog implements EtlRunLog {
  constructor(private readonly db: SqlClient) {}

  async start(run: {
    id: string;
    trigger: string;
    tickers: string[];
    startedAt: number;
    flowRunId?: string | null;
  }): Promise<void> {
    await this.db.query(
      `insert into etl_runs (id, status, trigger, tickers, started_at, flow_run_id) values ($1, 'running', $2, $3, $4, $5)`,
      [run.id, run.trigger, JSON.stringify(run.tickers), run.startedAt, run.flowRunId ?? null],
    );
  }

  async progress(id: string, sofar: Pick<EtlRunRecord, 'steps' | 'results'>): Promise<void> {
    // Only while running: a late progress write never overwrites the finished record.
    await this.db.query(
      `update etl_runs set steps = $2, results = $3 where id = $1 and status = 'running'`,
      [id, JSON.stringify(sofar.steps), JSON.stringify(sofar.results)],
    );
  }

  async finish(
    id: string,
    outcome: Pick<EtlRunRecord, 'status' | 'endedAt' | 'steps' | 'results' | 'quality'>,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const updated = await tx.query<{ id: string }>(
        `update etl_runs set status = $2, ended_at = $3, steps = $4, results = $5 where id = $1 returning id`,
        [
          id,
          outcome.status,
          outcome.endedAt,
          JSON.stringify(outcome.steps),
          JSON.stringify(outcome.results),
        ],
      );
      if (updated.length === 0) {
        throw new EtlRunNotFoundError(id);
      }
      const q = outcome.quality;
      if (q.length > 0) {
        await tx.query(
          `insert into etl_quality (run_id, symbol, check_name, status, count, examples)
           select $1, s, c, st, n, e from unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
             as t(s, c, st, n, e)
           on conflict (run_id, symbol, check_name) do update set
             status = excluded.status, count = excluded.count, examples = excluded.examples`,
          [
            id,
            q.map((c) => c.symbol),
            q.map((c) => c.check),
            q.map((c) => c.status),
            q.map((c) => c.count),
            q.map((c) => JSON.stringify(c.examples)),
          ],
        );
      }
    });
  }

  async list(limit = 50, flowRunId?: string): Promise<EtlRunRecord[]> {
    const rows =
      flowRunId === undefined
        ? await this.db.query<RunRow>(
            'select * from etl_runs order by started_at desc, id desc limit $1',
            [limit],
          )
        : await this.db.query<RunRow>(
            'select * from etl_runs where flow_run_id = $2 order by started_at desc, id desc limit $1',
            [limit, flowRunId],
          );
    return this.hydrate(rows);
  }

  async get(id: string): Promise<EtlRunRecord> {
    const rows = await this.db.query<RunRow>('select * from etl_runs where id = $1', [id]);
    const [run] = await this.hydrate(rows);
    if (!run) {
      throw new EtlRunNotFoundError(id);
    }
    return run;
  }

  private async hydrate(rows: RunRow[]): Promise<EtlRunRecord[]> {
    if (rows.length === 0) {
      return [];
    }
    const checks = await this.db.query<{
      run_id: string;
      symbol: string;
      check_name: QualityCheck['check'];
      status: QualityCheck['status'];
      count: number;
      examples: string;
    }>(
      `select run_id, symbol, check_name, status, count, examples from etl_quality
       where run_id = any($1::text[]) order by symbol, check_name`,
      [rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      trigger: r.trigger,
      flowRunId: r.flow_run_id,
      tickers: JSON.parse(r.tickers) as string[],
      startedAt: Number(r.started_at),
      endedAt: r.ended_at === null ? null : Number(r.ended_at),
      steps: JSON.parse(r.steps) as EtlStepReport[],
      results: JSON.parse(r.results) as EtlTickerResult[],
      quality: checks
        .filter((c) => c.run_id === r.id)
        .map((c) => ({
          symbol: c.symbol,
          check: c.check_name,
          status: c.status,
          count: c.count,
          examples: JSON.parse(c.examples) as string[],
        })),
    }));
  }
}
