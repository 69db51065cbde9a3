// Alerts on SQL: a partial unique index keeps one open alert per key, so concurrent evaluations raise it once; and the quarantine counts the quarantine-spike rule reads.
import type {
  AlertCondition,
  AlertQuery,
  AlertRecord,
  AlertRule,
  AlertState,
  AlertStore,
  QuarantineCounts,
} from '../../core/index.js';
import type { SqlClient } from './client.js';

interface AlertRow {
  id: string | number;
  key: string;
  rule: string;
  severity: string;
  ticker: string | null;
  horizon: number | null;
  message: string;
  value: number | null;
  threshold: number | null;
  state: string;
  raised_at: string | number;
  last_seen_at: string | number;
  acknowledged_at: string | number | null;
  acknowledged_by: string | null;
  resolved_at: string | number | null;
}

const n = (v: string | number | null) => (v === null ? null : Number(v));

const alertOf = (r: AlertRow): AlertRecord => ({
  id: Number(r.id),
  key: r.key,
  rule: r.rule as AlertRule,
  severity: r.severity as AlertRecord['severity'],
  ticker: r.ticker,
  horizon: r.horizon,
  message: r.message,
  value: r.value,
  threshold: r.threshold,
  state: r.state as AlertState,
  raisedAt: Number(r.raised_at),
  lastSeenAt: Number(r.last_seen_at),
  acknowledgedAt: n(r.acknowledged_at),
  acknowledgedBy: r.acknowledged_by,
  resolvedAt: n(r.resolved_at),
});

export class SqlAlertStore implements AlertStore {
  constructor(private readonly db: SqlClient) {}

  async list(q: AlertQuery): Promise<AlertRecord[]> {
    const state = q.state ?? null;
    const rows = await this.db.query<AlertRow>(
      `select * from alerts
       where ($1::text is null or ($1 = 'open' and state <> 'resolved') or state = $1)
       order by id desc limit $2`,
      [state, q.limit ?? 100],
    );
    return rows.map(alertOf);
  }

  async get(id: number): Promise<AlertRecord | null> {
    const rows = await this.db.query<AlertRow>('select * from alerts where id = $1', [id]);
    return rows[0] ? alertOf(rows[0]) : null;
  }

  async raise(c: AlertCondition, at: number): Promise<{ alert: AlertRecord; created: boolean }> {
    const inserted = await this.db.query<AlertRow>(
      `insert into alerts (key, rule, severity, ticker, horizon, message, value, threshold, state, raised_at,
         last_seen_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $9)
       on conflict (key) where state <> 'resolved' do nothing
       returning *`,
      [c.key, c.rule, c.severity, c.ticker, c.horizon, c.message, c.value, c.threshold, at],
    );
    if (inserted[0]) {
      return { alert: alertOf(inserted[0]), created: true };
    }
    const updated = await this.db.query<AlertRow>(
      `update alerts set message = $2, value = $3, threshold = $4, severity = $5, last_seen_at = $6
       where key = $1 and state <> 'resolved' returning *`,
      [c.key, c.message, c.value, c.threshold, c.severity, at],
    );
    if (updated[0]) {
      return { alert: alertOf(updated[0]), created: false };
    }
    // Resolved between the two statements: raise it anew.
    return this.raise(c, at);
  }

  async resolve(id: number, at: number): Promise<AlertRecord | null> {
    const rows = await this.db.query<AlertRow>(
      `update alerts set state = 'resolved', resolved_at = $2 where id = $1 and state <> 'resolved'
       returning *`,
      [id, at],
    );
    return rows[0] ? alertOf(rows[0]) : null;
  }

  async acknowledge(id: number, by: string, at: number): Promise<AlertRecord | null> {
    await this.db.query(
      `update alerts set state = 'acknowledged', acknowledged_at = $3, acknowledged_by = $2
       where id = $1 and state = 'active'`,
      [id, by, at],
    );
    const a = await this.get(id);
    return a && a.state !== 'resolved' ? a : null;
  }
}

/** Counts the quarantine table the imports and the ETL write (its rows carry the database's insert time). */
export class SqlQuarantineCounts implements QuarantineCounts {
  constructor(private readonly db: SqlClient) {}

  async countSince(since: number): Promise<{ ticker: string; rows: number }[]> {
    const rows = await this.db.query<{ symbol: string; n: string | number }>(
      `select symbol, count(*) as n from quarantine where created_at >= to_timestamp($1::double precision / 1000)
       group by symbol order by symbol`,
      [since],
    );
    return rows.map((r) => ({ ticker: r.symbol, rows: Number(r.n) }));
  }
}
