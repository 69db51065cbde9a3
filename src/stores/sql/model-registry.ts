// Built-in model registry on the SQL store: versions numbered per model, movable aliases, alias audit log.
import {
  ModelNotFoundError,
  type AliasEvent,
  type AliasLog,
  type AliasMove,
  type ModelVersion,
  type RegisteredModel,
  type Registry,
} from '../../core/index.js';
import type { SqlClient } from './client.js';

interface VersionRow {
  name: string;
  version: number;
  source: string;
  run_id: string;
  tags: string;
  created_at: string | number;
}

export class SqlRegistry implements Registry {
  constructor(private readonly db: SqlClient) {}

  /** Whether this registry lives on `db`, so an alias move and its audit record can share a transaction. */
  sharesStore(db: SqlClient): boolean {
    return this.db === db;
  }

  async ensureModel(name: string): Promise<RegisteredModel> {
    await this.db.query(
      'insert into registered_models (name, created_at) values ($1, $2) on conflict (name) do nothing',
      [name, Date.now()],
    );
    const model = (await this.listModels(name))[0];
    if (!model) {
      throw new ModelNotFoundError(`registered model "${name}"`);
    }
    return model;
  }

  async createVersion(input: {
    name: string;
    source: string;
    runId: string;
    tags?: Record<string, string>;
  }): Promise<ModelVersion> {
    await this.ensureModel(input.name);
    // The row lock on the registered model serialises concurrent registrations, so numbers never collide.
    const version = await this.db.transaction(async (tx) => {
      await tx.query('select name from registered_models where name = $1 for update', [input.name]);
      const rows = await tx.query<{ v: number | null }>(
        'select max(version) as v from model_versions where name = $1',
        [input.name],
      );
      const next = (rows[0]?.v ?? 0) + 1;
      await tx.query(
        'insert into model_versions (name, version, source, run_id, tags, created_at) values ($1, $2, $3, $4, $5, $6)',
        [input.name, next, input.source, input.runId, JSON.stringify(input.tags ?? {}), Date.now()],
      );
      return next;
    });
    return this.getVersion(input.name, version);
  }

  async getVersion(name: string, version: number): Promise<ModelVersion> {
    const rows = await this.db.query<VersionRow>(
      'select * from model_versions where name = $1 and version = $2',
      [name, version],
    );
    const row = rows[0];
    if (!row) {
      throw new ModelNotFoundError(`version ${version} of "${name}"`);
    }
    return (await this.withAliases([row]))[0] as ModelVersion;
  }

  async listVersions(name: string): Promise<ModelVersion[]> {
    const rows = await this.db.query<VersionRow>(
      'select * from model_versions where name = $1 order by version desc',
      [name],
    );
    return this.withAliases(rows);
  }

  async listModels(only?: string): Promise<RegisteredModel[]> {
    const models = await this.db.query<{
      name: string;
      created_at: string | number;
      latest: number | null;
    }>(
      `select m.name, m.created_at, (select max(version) from model_versions v where v.name = m.name) as latest
       from registered_models m where ($1::text is null or m.name = $1) order by m.name`,
      [only ?? null],
    );
    const aliases = await this.db.query<{ name: string; alias: string; version: number }>(
      'select name, alias, version from model_aliases where ($1::text is null or name = $1)',
      [only ?? null],
    );
    return models.map((m) => ({
      name: m.name,
      createdAt: Number(m.created_at),
      latestVersion: m.latest,
      aliases: Object.fromEntries(
        aliases.filter((a) => a.name === m.name).map((a) => [a.alias, a.version]),
      ),
    }));
  }

  async setAlias(name: string, alias: string, version: number): Promise<void> {
    await this.getVersion(name, version);
    await this.db.query(
      `insert into model_aliases (name, alias, version) values ($1, $2, $3)
       on conflict (name, alias) do update set version = excluded.version`,
      [name, alias, version],
    );
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.db.query('delete from model_aliases where name = $1 and alias = $2', [name, alias]);
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion | null> {
    const rows = await this.db.query<{ version: number }>(
      'select version from model_aliases where name = $1 and alias = $2',
      [name, alias],
    );
    const v = rows[0];
    return v ? this.getVersion(name, v.version) : null;
  }

  private async withAliases(rows: VersionRow[]): Promise<ModelVersion[]> {
    const names = [...new Set(rows.map((r) => r.name))];
    const aliases = await this.db.query<{ name: string; alias: string; version: number }>(
      'select name, alias, version from model_aliases where name = any($1::text[]) order by alias',
      [names],
    );
    return rows.map((r) => ({
      name: r.name,
      version: r.version,
      source: r.source,
      runId: r.run_id,
      createdAt: Number(r.created_at),
      tags: JSON.parse(r.tags) as Record<string, string>,
      aliases: aliases
        .filter((a) => a.name === r.name && a.version === r.version)
        .map((a) => a.alias),
    }));
  }
}

type EventState = 'pending' | 'done';

interface EventRow {
  id: string | number;
  name: string;
  alias: string;
  from_version: number | null;
  to_version: number | null;
  actor: string;
  reason: string;
  metrics: string;
  at: string | number;
}

const toEvent = (r: EventRow): AliasEvent => ({
  id: Number(r.id),
  name: r.name,
  alias: r.alias,
  fromVersion: r.from_version,
  toVersion: r.to_version,
  actor: r.actor,
  reason: r.reason,
  metrics: JSON.parse(r.metrics) as Record<string, number>,
  at: Number(r.at),
});

export class SqlAliasLog implements AliasLog {
  constructor(private readonly db: SqlClient) {}

  record(event: Omit<AliasEvent, 'id' | 'at'>): Promise<AliasEvent> {
    return this.insert(event, 'done');
  }

  private async insert(
    event: Omit<AliasEvent, 'id' | 'at'>,
    state: EventState,
  ): Promise<AliasEvent> {
    const at = Date.now();
    const rows = await this.db.query<{ id: string | number }>(
      `insert into alias_events (name, alias, from_version, to_version, actor, reason, metrics, at, state)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [
        event.name,
        event.alias,
        event.fromVersion,
        event.toVersion,
        event.actor,
        event.reason,
        JSON.stringify(event.metrics),
        at,
        state,
      ],
    );
    return { ...event, id: Number(rows[0]?.id), at };
  }

  async list(name: string): Promise<AliasEvent[]> {
    const rows = await this.db.query<EventRow>(
      `select * from alias_events where name = $1 and state = 'done' order by id desc`,
      [name],
    );
    return rows.map(toEvent);
  }

  async move(registry: Registry, move: AliasMove): Promise<AliasEvent | null> {
    if (registry instanceof SqlRegistry && registry.sharesStore(this.db)) {
      return this.db.transaction(async (tx) => {
        // Concurrent moves of one alias queue here, so each record's fromVersion is the version it really replaced.
        await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))::text as locked', [
          `alias:${move.name}:${move.alias}`,
        ]);
        return moveWith(new SqlRegistry(tx), move, async (event) => {
          const done = await new SqlAliasLog(tx).insert(event, 'done');
          return { event: done, settle: () => Promise.resolve() };
        });
      });
    }
    // Another registry (MLflow) has no transaction with this store: intent first, then the move, then confirm.
    return moveWith(registry, move, async (event) => {
      const pending = await this.insert(event, 'pending');
      return {
        event: pending,
        settle: (moved) =>
          moved ? this.setState(pending.id, 'done') : this.drop(pending.id).catch(() => undefined),
      };
    });
  }

  async repair(registry: Registry): Promise<{ confirmed: number; dropped: number }> {
    const pending = (
      await this.db.query<EventRow>(
        `select * from alias_events where state = 'pending' order by id`,
      )
    ).map(toEvent);
    let confirmed = 0;
    let dropped = 0;
    for (const e of pending) {
      const now = await registry.getVersionByAlias(e.name, e.alias);
      if (now !== null && now.version === e.toVersion) {
        await this.setState(e.id, 'done');
        confirmed++;
      } else {
        await this.drop(e.id);
        dropped++;
      }
    }
    return { confirmed, dropped };
  }

  private async setState(id: number, state: EventState): Promise<void> {
    await this.db.query('update alias_events set state = $2 where id = $1', [id, state]);
  }

  private async drop(id: number): Promise<void> {
    await this.db.query(`delete from alias_events where id = $1 and state = 'pending'`, [id]);
  }
}

/**
 * The move itself, the same whichever log records it: read where the alias points, do nothing if it is there
 * already, check the version exists (so a refused move leaves no record), record, move, settle the record.
 */
async function moveWith(
  registry: Registry,
  move: AliasMove,
  record: (
    event: Omit<AliasEvent, 'id' | 'at'>,
  ) => Promise<{ event: AliasEvent; settle: (moved: boolean) => Promise<void> }>,
): Promise<AliasEvent | null> {
  const current = await registry.getVersionByAlias(move.name, move.alias);
  if (current?.version === move.version) {
    return null;
  }
  await registry.getVersion(move.name, move.version);
  const { event, settle } = await record({
    name: move.name,
    alias: move.alias,
    fromVersion: current?.version ?? null,
    toVersion: move.version,
    actor: move.actor,
    reason: move.reason,
    metrics: move.metrics,
  });
  try {
    await registry.setAlias(move.name, move.alias, move.version);
  } catch (e) {
    await settle(false);
    throw e;
  }
  await settle(true);
  return event;
}
