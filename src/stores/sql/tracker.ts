// Built-in experiment tracker on the SQL store, with artifacts in the artifact store (MLflow's data model).
import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  RunNotFoundError,
  type ArtifactStore,
  type DatasetInput,
  type Experiment,
  type MetricPoint,
  type RunSearch,
  type RunStatus,
  type TrackedRun,
  type Tracker,
} from '../../core/index.js';
import { checkArtifactPath } from '../artifacts/index.js';
import type { SqlClient } from './client.js';

interface RunRow {
  id: string;
  experiment_id: string | number;
  experiment_name: string;
  name: string;
  status: RunStatus;
  start_time: string | number;
  end_time: string | number | null;
  artifact_uri: string;
}

const RUN_SELECT = `select r.id, r.experiment_id, e.name as experiment_name, r.name, r.status, r.start_time,
  r.end_time, r.artifact_uri from runs r join experiments e on e.id = r.experiment_id`;

const DATASET_TAG = 'stockops.dataset';

const datasetsOf = (json: string | undefined): DatasetInput[] =>
  json === undefined ? [] : [JSON.parse(json) as DatasetInput];

export class SqlTracker implements Tracker {
  constructor(
    private readonly db: SqlClient,
    private readonly artifacts: ArtifactStore,
  ) {}

  async getOrCreateExperiment(name: string): Promise<Experiment> {
    await this.db.query(
      'insert into experiments (name, created_at) values ($1, $2) on conflict (name) do nothing',
      [name, Date.now()],
    );
    const rows = await this.db.query<{ id: string | number }>(
      'select id from experiments where name = $1',
      [name],
    );
    return { id: String(rows[0]?.id), name };
  }

  async createRun(input: {
    experimentId: string;
    name: string;
    tags?: Record<string, string>;
  }): Promise<TrackedRun> {
    const id = randomUUID().replace(/-/g, '');
    const artifactUri = `${this.artifacts.baseUri}/runs/${id}/artifacts`;
    await this.db.query(
      `insert into runs (id, experiment_id, name, status, start_time, artifact_uri) values ($1, $2, $3, 'RUNNING', $4, $5)`,
      [id, Number(input.experimentId), input.name, Date.now(), artifactUri],
    );
    if (input.tags) {
      await this.setTags(id, input.tags);
    }
    return this.getRun(id);
  }

  async logParams(runId: string, params: Record<string, string>): Promise<void> {
    await this.requireRun(runId);
    const existing = new Map(
      (
        await this.db.query<{ key: string; value: string }>(
          'select key, value from run_params where run_id = $1',
          [runId],
        )
      ).map((r) => [r.key, r.value]),
    );
    for (const [key, value] of Object.entries(params)) {
      const old = existing.get(key);
      if (old !== undefined && old !== value) {
        throw new ConflictError(
          `Param "${key}" of run ${runId} is already "${old}"; params are write-once`,
        );
      }
    }
    const keys = Object.keys(params).filter((k) => !existing.has(k));
    if (keys.length > 0) {
      await this.db.query(
        `insert into run_params (run_id, key, value) select $1, k, v from unnest($2::text[], $3::text[]) as t(k, v)`,
        [runId, keys, keys.map((k) => params[k] ?? '')],
      );
    }
  }

  async logMetrics(runId: string, metrics: readonly MetricPoint[]): Promise<void> {
    await this.requireRun(runId);
    if (metrics.length === 0) {
      return;
    }
    await this.db.query(
      `insert into run_metrics (run_id, key, value, step, timestamp)
       select $1, k, v, s, t from unnest($2::text[], $3::float8[], $4::int8[], $5::int8[]) as x(k, v, s, t)`,
      [
        runId,
        metrics.map((m) => m.key),
        metrics.map((m) => m.value),
        metrics.map((m) => m.step),
        metrics.map((m) => m.timestamp),
      ],
    );
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    await this.requireRun(runId);
    const keys = Object.keys(tags);
    if (keys.length === 0) {
      return;
    }
    await this.db.query(
      `insert into run_tags (run_id, key, value) select $1, k, v from unnest($2::text[], $3::text[]) as t(k, v)
       on conflict (run_id, key) do update set value = excluded.value`,
      [runId, keys, keys.map((k) => tags[k] ?? '')],
    );
  }

  /** The built-in store keeps the run's data set as one JSON tag, so no table is needed for it. */
  async logDataset(runId: string, dataset: DatasetInput): Promise<void> {
    await this.setTags(runId, { [DATASET_TAG]: JSON.stringify(dataset) });
  }

  async logArtifact(runId: string, path: string, bytes: Uint8Array): Promise<void> {
    await this.requireRun(runId);
    await this.artifacts.put(`runs/${runId}/artifacts/${checkArtifactPath(path)}`, bytes);
  }

  async getArtifact(runId: string, path: string): Promise<Uint8Array> {
    await this.requireRun(runId);
    return this.artifacts.get(`runs/${runId}/artifacts/${checkArtifactPath(path)}`);
  }

  async endRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>): Promise<void> {
    await this.requireRun(runId);
    await this.db.query('update runs set status = $2, end_time = $3 where id = $1', [
      runId,
      status,
      Date.now(),
    ]);
  }

  async getRun(runId: string): Promise<TrackedRun> {
    const rows = await this.db.query<RunRow>(`${RUN_SELECT} where r.id = $1`, [runId]);
    const row = rows[0];
    if (!row) {
      throw new RunNotFoundError(runId);
    }
    const [run] = await this.hydrate([row]);
    if (!run) {
      throw new RunNotFoundError(runId);
    }
    return run;
  }

  async getMetricHistory(runId: string, key: string): Promise<MetricPoint[]> {
    await this.requireRun(runId);
    const rows = await this.db.query<{
      value: number;
      step: string | number;
      timestamp: string | number;
    }>(
      'select value, step, timestamp from run_metrics where run_id = $1 and key = $2 order by step, timestamp',
      [runId, key],
    );
    return rows.map((r) => ({
      key,
      value: r.value,
      step: Number(r.step),
      timestamp: Number(r.timestamp),
    }));
  }

  async searchRuns(query: RunSearch): Promise<TrackedRun[]> {
    const tagKeys = Object.keys(query.tags ?? {});
    const rows = await this.db.query<RunRow>(
      `${RUN_SELECT}
       where ($1::text[] is null or e.name = any($1::text[]))
         and (select count(*) from run_tags t join unnest($2::text[], $3::text[]) as q(k, v)
              on t.key = q.k and t.value = q.v where t.run_id = r.id) = $4
       order by r.start_time desc, r.id desc limit $5`,
      [
        query.experimentNames ?? null,
        tagKeys,
        tagKeys.map((k) => query.tags?.[k] ?? ''),
        tagKeys.length,
        query.limit ?? 100,
      ],
    );
    return this.hydrate(rows);
  }

  private async requireRun(runId: string): Promise<void> {
    const rows = await this.db.query<{ id: string }>('select id from runs where id = $1', [runId]);
    if (rows.length === 0) {
      throw new RunNotFoundError(runId);
    }
  }

  private async hydrate(rows: RunRow[]): Promise<TrackedRun[]> {
    if (rows.length === 0) {
      return [];
    }
    const ids = rows.map((r) => r.id);
    const params = await this.db.query<{ run_id: string; key: string; value: string }>(
      'select run_id, key, value from run_params where run_id = any($1::text[])',
      [ids],
    );
    const tags = await this.db.query<{ run_id: string; key: string; value: string }>(
      'select run_id, key, value from run_tags where run_id = any($1::text[])',
      [ids],
    );
    // The latest value of each metric: highest step, then latest timestamp (MLflow's rule).
    const metrics = await this.db.query<{ run_id: string; key: string; value: number }>(
      `select distinct on (run_id, key) run_id, key, value from run_metrics where run_id = any($1::text[])
       order by run_id, key, step desc, timestamp desc`,
      [ids],
    );
    const group = <T extends { run_id: string; key: string }, V>(list: T[], pick: (t: T) => V) => {
      const m = new Map<string, Record<string, V>>();
      for (const x of list) {
        const rec = m.get(x.run_id) ?? {};
        rec[x.key] = pick(x);
        m.set(x.run_id, rec);
      }
      return m;
    };
    const p = group(params, (x) => x.value);
    const t = group(tags, (x) => x.value);
    const mt = group(metrics, (x) => x.value);
    return rows.map((r) => ({
      id: r.id,
      experimentId: String(r.experiment_id),
      experimentName: r.experiment_name,
      name: r.name,
      status: r.status,
      startTime: Number(r.start_time),
      endTime: r.end_time === null ? null : Number(r.end_time),
      params: p.get(r.id) ?? {},
      metrics: mt.get(r.id) ?? {},
      tags: t.get(r.id) ?? {},
      artifactUri: r.artifact_uri,
      datasets: datasetsOf(t.get(r.id)?.[DATASET_TAG]),
    }));
  }
}
