// Schema migrations, applied in order and recorded, identical on PGlite and PostgreSQL.
import type { SqlClient } from './client.js';

interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'prices',
    sql: `
      create table bars (
        symbol text not null,
        date date not null,
        open double precision not null,
        high double precision not null,
        low double precision not null,
        close double precision not null,
        adj_close double precision not null,
        volume double precision,
        source text not null,
        ingested_at timestamptz not null default now(),
        primary key (symbol, date)
      );
      create table quarantine (
        id bigserial primary key,
        symbol text not null,
        line integer not null,
        reason text not null,
        raw text not null,
        source text not null,
        created_at timestamptz not null default now()
      );
      create index quarantine_symbol on quarantine (symbol, id);
    `,
  },
  {
    id: 2,
    name: 'tracking',
    sql: `
      create table experiments (
        id bigserial primary key,
        name text not null unique,
        created_at bigint not null
      );
      create table runs (
        id text primary key,
        experiment_id bigint not null references experiments (id),
        name text not null,
        status text not null,
        start_time bigint not null,
        end_time bigint,
        artifact_uri text not null
      );
      create index runs_experiment on runs (experiment_id, start_time desc);
      create table run_params (
        run_id text not null references runs (id),
        key text not null,
        value text not null,
        primary key (run_id, key)
      );
      create table run_metrics (
        run_id text not null references runs (id),
        key text not null,
        value double precision not null,
        step bigint not null,
        timestamp bigint not null
      );
      create index run_metrics_key on run_metrics (run_id, key, step);
      create table run_tags (
        run_id text not null references runs (id),
        key text not null,
        value text not null,
        primary key (run_id, key)
      );
    `,
  },
  {
    id: 3,
    name: 'registry',
    sql: `
      create table registered_models (
        name text primary key,
        created_at bigint not null
      );
      create table model_versions (
        name text not null references registered_models (name),
        version integer not null,
        source text not null,
        run_id text not null,
        tags text not null default '{}',
        created_at bigint not null,
        primary key (name, version)
      );
      create table model_aliases (
        name text not null references registered_models (name),
        alias text not null,
        version integer not null,
        primary key (name, alias)
      );
      create table alias_events (
        id bigserial primary key,
        name text not null,
        alias text not null,
        from_version integer,
        to_version integer,
        actor text not null,
        reason text not null,
        metrics text not null default '{}',
        at bigint not null
      );
      create index alias_events_name on alias_events (name, id);
    `,
  },
  {
    id: 4,
    name: 'flows',
    sql: `
      create table flow_runs (
        id text primary key,
        flow text not null,
        state text not null,
        attempts integer not null default 0,
        parameters text not null default '{}',
        result text,
        error text,
        parent_id text,
        schedule_id text,
        idempotency_key text unique,
        worker text,
        heartbeat_at bigint,
        cancel_requested boolean not null default false,
        created_at bigint not null,
        started_at bigint,
        ended_at bigint
      );
      create index flow_runs_created on flow_runs (created_at desc);
      create index flow_runs_state on flow_runs (state, heartbeat_at);
      create index flow_runs_parent on flow_runs (parent_id);
      create table task_runs (
        flow_run_id text not null references flow_runs (id) on delete cascade,
        task text not null,
        state text not null,
        attempts integer not null default 0,
        idempotency_key text not null,
        result text,
        error text,
        started_at bigint,
        ended_at bigint,
        primary key (flow_run_id, task)
      );
      create table flow_logs (
        id bigserial primary key,
        flow_run_id text not null references flow_runs (id) on delete cascade,
        at bigint not null,
        level text not null,
        task text,
        message text not null
      );
      create index flow_logs_run on flow_logs (flow_run_id, id);
      create table schedules (
        id text primary key,
        flow text not null,
        cron text not null,
        timezone text not null,
        parameters text not null default '{}',
        enabled boolean not null default true,
        description text not null default '',
        updated_at bigint not null
      );
    `,
  },
  {
    id: 5,
    name: 'data_platform',
    // Raw bars keep what a source sent (with its fetch time); the cleaned series is derived from them plus
    // corporate actions. Existing rows were stored before actions were known, so their cleaned copy is the row itself.
    sql: `
      alter table bars rename to raw_bars;
      alter table raw_bars rename column ingested_at to fetched_at;
      create table clean_bars (
        symbol text not null,
        date date not null,
        open double precision not null,
        high double precision not null,
        low double precision not null,
        close double precision not null,
        adj_close double precision not null,
        volume double precision,
        cleaned_at timestamptz not null default now(),
        primary key (symbol, date)
      );
      insert into clean_bars (symbol, date, open, high, low, close, adj_close, volume)
        select symbol, date, open, high, low, close, adj_close, volume from raw_bars;
      create table corporate_actions (
        symbol text not null,
        date date not null,
        kind text not null check (kind in ('split', 'dividend')),
        numerator double precision,
        denominator double precision,
        amount double precision,
        source text not null,
        fetched_at timestamptz not null,
        primary key (symbol, date, kind)
      );
      create table etl_runs (
        id text primary key,
        status text not null,
        trigger text not null,
        tickers text not null,
        started_at bigint not null,
        ended_at bigint,
        steps text not null default '[]',
        results text not null default '[]'
      );
      create index etl_runs_started on etl_runs (started_at desc);
      create table etl_quality (
        run_id text not null references etl_runs (id) on delete cascade,
        symbol text not null,
        check_name text not null,
        status text not null,
        count integer not null,
        examples text not null default '[]',
        primary key (run_id, symbol, check_name)
      );
    `,
  },
  // Ids 20-29 belong to serving (issue 14).
  {
    id: 20,
    name: 'forecast_log',
    // One row per distinct forecast; replicas add their serve counts with one upsert per flush. The newest-first
    // listing walks (as_of, id) backwards, alone or within one ticker and horizon.
    sql: `
      create table forecast_log (
        id bigserial primary key,
        ticker text not null,
        horizon integer not null,
        as_of date not null,
        target_date date not null,
        model_name text not null,
        model_version integer not null,
        model_kind text not null,
        run_id text not null,
        feature_set text not null,
        last_close double precision not null,
        predicted_return double precision not null,
        predicted_close double precision not null,
        intervals text not null default '[]',
        first_served_at bigint not null,
        last_served_at bigint not null,
        serve_count bigint not null,
        unique (ticker, horizon, as_of, model_name, model_version)
      );
      create index forecast_log_recent on forecast_log (as_of desc, id desc);
      create index forecast_log_ticker on forecast_log (ticker, horizon, as_of desc, id desc);
    `,
  },
  // Ids 40-49 belong to monitoring and the retrain policy (issue 16).
  {
    id: 40,
    name: 'monitoring_reports',
    // One row per monitor run and model. The verdict columns sit beside the JSON body so that the policy's
    // question "did the last k windows of this version drift?" reads a few small columns by (model, version).
    sql: `
      create table monitoring_reports (
        id bigserial primary key,
        flow_run_id text,
        ticker text not null,
        horizon integer not null,
        model_name text not null,
        model_version integer not null,
        created_at bigint not null,
        window_from date,
        window_to date,
        window_rows integer not null,
        status text not null,
        feature_drift boolean,
        drift_share double precision,
        target_drift boolean,
        prediction_drift boolean,
        summary text not null,
        body text not null
      );
      create index monitoring_reports_ticker on monitoring_reports (ticker, horizon, id desc);
      create index monitoring_reports_windows on monitoring_reports (model_name, model_version, window_to desc, id desc);
    `,
  },
  {
    id: 41,
    name: 'retrain_policy',
    // Every decision of the policy, retrain or not; the settings stored over the environment's (one row).
    sql: `
      create table retrain_decisions (
        id bigserial primary key,
        model_name text not null,
        ticker text not null,
        horizon integer not null,
        model_version integer,
        decided_at bigint not null,
        retrain boolean not null,
        rule text,
        fired text not null default '[]',
        suppressed_by text,
        reason text not null,
        numbers text not null default '{}',
        report_id bigint,
        monitor_run_id text,
        train_run_id text
      );
      create index retrain_decisions_model on retrain_decisions (model_name, id desc);
      create index retrain_decisions_retrains on retrain_decisions (decided_at) where retrain;
      create table retrain_policy (
        id integer primary key check (id = 1),
        settings text not null,
        updated_at bigint not null,
        updated_by text not null
      );
    `,
  },
  {
    id: 42,
    name: 'model_locks',
    // A lease per model: the holder renews it while the promotion gate runs; a dead holder's lease expires.
    sql: `
      create table model_locks (
        model_name text primary key,
        holder text not null,
        expires_at bigint not null
      );
    `,
  },
  {
    id: 43,
    name: 'alerts',
    // At most one open (active or acknowledged) alert per key: the partial unique index is the deduplication.
    sql: `
      create table alerts (
        id bigserial primary key,
        key text not null,
        rule text not null,
        severity text not null,
        ticker text,
        horizon integer,
        message text not null,
        value double precision,
        threshold double precision,
        state text not null,
        raised_at bigint not null,
        last_seen_at bigint not null,
        acknowledged_at bigint,
        acknowledged_by text,
        resolved_at bigint
      );
      create unique index alerts_open_key on alerts (key) where state <> 'resolved';
      create index alerts_state on alerts (state, id desc);
    `,
  },
  {
    id: 44,
    name: 'promotion_approvals',
    // A retrain's promotion held for a person; settled once (approved, rejected, or by its timeout).
    sql: `
      create table promotion_approvals (
        id bigserial primary key,
        model_name text not null,
        version integer not null,
        run_id text not null,
        gate_decision text not null,
        requested_at bigint not null,
        expires_at bigint not null,
        state text not null,
        decided_at bigint,
        decided_by text,
        outcome text
      );
      create index promotion_approvals_state on promotion_approvals (state, expires_at);
    `,
  },
  {
    id: 45,
    name: 'realised_accuracy',
    // Realised accuracy as a time series: one point per model version and window end (the newest matured
    // target date); a monitor run that sees the same window again replaces its point.
    sql: `
      create table realised_accuracy (
        id bigserial primary key,
        ticker text not null,
        horizon integer not null,
        model_name text not null,
        model_version integer not null,
        window_from date not null,
        window_to date not null,
        matured integer not null,
        rmse double precision not null,
        rmse_naive double precision not null,
        skill double precision not null,
        direction_accuracy double precision not null,
        up_rate double precision not null,
        coverage text not null default '{}',
        computed_at bigint not null,
        monitor_run_id text,
        unique (model_name, model_version, window_to)
      );
      create index realised_accuracy_ticker on realised_accuracy (ticker, horizon, window_to desc);
    `,
  },
  // Ids 50-59: the UI issue's tables (model recipes; the flow run behind an ETL run).
  {
    id: 50,
    name: 'recipes',
    sql: `
      create table recipes (
        id text not null,
        version integer not null,
        name text not null,
        description text not null default '',
        spec text not null,
        created_at bigint not null,
        deleted boolean not null default false,
        primary key (id, version)
      );
    `,
  },
  {
    id: 51,
    name: 'etl-run-flow-run',
    sql: `
      alter table etl_runs add column flow_run_id text;
      create index etl_runs_flow_run on etl_runs (flow_run_id);
    `,
  },
];

export async function migrate(db: SqlClient): Promise<number[]> {
  // Several processes may start at once on one PostgreSQL: a transaction-scoped advisory lock lets one of them
  // migrate while the others wait and then find nothing left to do. All pending migrations commit together.
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(724601301)');
    await tx.exec(
      `create table if not exists schema_migrations (id integer primary key, name text not null, applied_at timestamptz not null default now())`,
    );
    const done = new Set(
      (await tx.query<{ id: number }>('select id from schema_migrations')).map((r) => r.id),
    );
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) {
        continue;
      }
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (id, name) values ($1, $2)', [m.id, m.name]);
      applied.push(m.id);
    }
    return applied;
  });
}

/** Empties every table but the migration record: test isolation on a shared database, whatever tables exist. */
export async function truncateAll(db: SqlClient): Promise<void> {
  const tables = (
    await db.query<{ t: string }>(
      `select tablename as t from pg_tables where schemaname = current_schema() and tablename <> 'schema_migrations'`,
    )
  ).map((r) => r.t);
  // Names come from the catalog, not from input; the pattern check keeps the statement safe regardless.
  if (tables.length > 0 && tables.every((t) => /^[a-z_][a-z0-9_]*$/.test(t))) {
    await db.exec(`truncate ${tables.join(', ')} restart identity cascade`);
  }
}
