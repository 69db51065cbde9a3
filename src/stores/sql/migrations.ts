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
];

export async function migrate(db: SqlClient): Promise<number[]> {
  await db.exec(
    `create table if not exists schema_migrations (id integer primary key, name text not null, applied_at timestamptz not null default now())`,
  );
  const done = new Set(
    (await db.query<{ id: number }>('select id from schema_migrations')).map((r) => r.id),
  );
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.id)) {
      continue;
    }
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (id, name) values ($1, $2)', [m.id, m.name]);
    });
    applied.push(m.id);
  }
  return applied;
}
