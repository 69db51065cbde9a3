// Tracker port on a real MLflow server: experiments, runs, log-batch, log-inputs and the artifact proxy.
import {
  RunNotFoundError,
  type DatasetInput,
  type Experiment,
  type MetricPoint,
  type RunSearch,
  type RunStatus,
  type TrackedRun,
  type Tracker,
} from '../../core/index.js';
import { checkArtifactPath } from '../artifacts/index.js';
import {
  filterString,
  MlflowApiError,
  MlflowClient,
  toDomainError,
  type MlflowRun,
  type MlflowSubject,
} from './client.js';

export interface MlflowAdapterOptions {
  /**
   * Prepended to every experiment and registered model name, so several stockops installations (or
   * test suites) can share one MLflow server without seeing each other's runs. @defaultValue ''
   */
  namePrefix?: string;
}

const kv = (r: Record<string, string>) => Object.entries(r).map(([key, value]) => ({ key, value }));

/** Runs call MLflow with a subject, so its error codes become the right stockops errors. */
async function mapped<T>(subject: MlflowSubject, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw toDomainError(e, subject);
  }
}

export class MlflowTracker implements Tracker {
  private readonly prefix: string;
  private readonly experimentNames = new Map<string, string>();
  private readonly artifactUris = new Map<string, string>();

  constructor(
    readonly client: MlflowClient,
    options: MlflowAdapterOptions = {},
  ) {
    this.prefix = options.namePrefix ?? '';
  }

  async getOrCreateExperiment(name: string): Promise<Experiment> {
    const e = await mapped({ kind: 'other' }, () =>
      this.client.getOrCreateExperiment(this.prefix + name),
    );
    this.experimentNames.set(e.experiment_id, e.name);
    return { id: e.experiment_id, name };
  }

  async createRun(input: {
    experimentId: string;
    name: string;
    tags?: Record<string, string>;
  }): Promise<TrackedRun> {
    const run = await mapped({ kind: 'other' }, () =>
      this.client.createRun({
        experimentId: input.experimentId,
        runName: input.name,
        startTime: Date.now(),
        tags: kv(input.tags ?? {}),
      }),
    );
    return this.toTracked(run);
  }

  async logParams(runId: string, params: Record<string, string>): Promise<void> {
    await mapped({ kind: 'run', id: runId }, () =>
      this.client.logBatch(runId, { params: kv(params) }),
    );
  }

  async logMetrics(runId: string, metrics: readonly MetricPoint[]): Promise<void> {
    if (metrics.length === 0) {
      await this.getRun(runId);
      return;
    }
    await mapped({ kind: 'run', id: runId }, () =>
      this.client.logBatch(runId, {
        metrics: metrics.map((m) => ({
          key: m.key,
          value: m.value,
          step: m.step,
          timestamp: m.timestamp,
        })),
      }),
    );
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    await mapped({ kind: 'run', id: runId }, () => this.client.logBatch(runId, { tags: kv(tags) }));
  }

  async logDataset(runId: string, d: DatasetInput): Promise<void> {
    await mapped({ kind: 'run', id: runId }, () =>
      this.client.logInputs(runId, [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: {
            name: d.name,
            // MLflow caps the digest column at 36 characters; the full digest is in the profile.
            digest: d.digest.slice(0, 36),
            source_type: 'stockops',
            source: JSON.stringify({ uri: d.source }),
            profile: JSON.stringify({ rows: d.rows, from: d.from, to: d.to, digest: d.digest }),
          },
        },
      ]),
    );
  }

  async logArtifact(runId: string, path: string, bytes: Uint8Array): Promise<void> {
    const key = checkArtifactPath(path);
    const root = await this.artifactRoot(runId);
    await mapped({ kind: 'run', id: runId }, () =>
      this.client.uploadArtifact(MlflowClient.proxyPath(root, key), bytes),
    );
  }

  async getArtifact(runId: string, path: string): Promise<Uint8Array> {
    const key = checkArtifactPath(path);
    const root = await this.artifactRoot(runId);
    return mapped({ kind: 'artifact', key: `runs/${runId}/artifacts/${key}` }, () =>
      this.client.downloadArtifact(MlflowClient.proxyPath(root, key)),
    );
  }

  async endRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>): Promise<void> {
    await mapped({ kind: 'run', id: runId }, () =>
      this.client.updateRun(runId, status, Date.now()),
    );
  }

  async getRun(runId: string): Promise<TrackedRun> {
    const run = await mapped({ kind: 'run', id: runId }, () => this.client.getRun(runId));
    return this.toTracked(run);
  }

  async getMetricHistory(runId: string, key: string): Promise<MetricPoint[]> {
    const points = await mapped({ kind: 'run', id: runId }, () =>
      this.client.getMetricHistory(runId, key),
    );
    return points
      .map((m) => ({
        key,
        value: Number(m.value),
        step: Number(m.step),
        timestamp: Number(m.timestamp),
      }))
      .sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  }

  async searchRuns(query: RunSearch): Promise<TrackedRun[]> {
    const experimentIds: string[] = [];
    if (query.experimentNames) {
      for (const name of query.experimentNames) {
        const e = await this.client.getExperimentByName(this.prefix + name);
        if (e) {
          experimentIds.push(e.experiment_id);
          this.experimentNames.set(e.experiment_id, e.name);
        }
      }
    } else {
      // runs/search needs experiment ids; "all runs" means all experiments in this installation's namespace.
      const all = await this.client.searchExperiments(
        this.prefix === '' ? undefined : `name LIKE ${filterString(`${this.prefix}%`)}`,
      );
      for (const e of all) {
        experimentIds.push(e.experiment_id);
        this.experimentNames.set(e.experiment_id, e.name);
      }
    }
    if (experimentIds.length === 0) {
      return [];
    }
    const filter = Object.entries(query.tags ?? {})
      .map(([k, v]) => `tags.\`${k.replace(/`/g, '')}\` = ${filterString(v)}`)
      .join(' AND ');
    const runs = await this.client.searchRuns({
      experimentIds,
      filter,
      orderBy: ['attributes.start_time DESC'],
      limit: query.limit ?? 100,
    });
    return Promise.all(runs.map((r) => this.toTracked(r)));
  }

  /** The UI link of a run on the MLflow server. */
  runUrl(run: Pick<TrackedRun, 'id' | 'experimentId'>): string {
    return `${this.client.baseUrl}/#/experiments/${run.experimentId}/runs/${run.id}`;
  }

  private async artifactRoot(runId: string): Promise<string> {
    const known = this.artifactUris.get(runId);
    if (known !== undefined) {
      return known;
    }
    const run = await this.getRun(runId);
    return run.artifactUri;
  }

  private async experimentName(id: string): Promise<string> {
    let name = this.experimentNames.get(id);
    if (name === undefined) {
      try {
        name = (await this.client.getExperiment(id)).name;
      } catch (e) {
        if (e instanceof MlflowApiError) {
          name = id;
        } else {
          throw e;
        }
      }
      this.experimentNames.set(id, name);
    }
    return name.startsWith(this.prefix) ? name.slice(this.prefix.length) : name;
  }

  private async toTracked(run: MlflowRun): Promise<TrackedRun> {
    const info = run.info;
    if (info.lifecycle_stage === 'deleted') {
      throw new RunNotFoundError(info.run_id);
    }
    const artifactUri = info.artifact_uri ?? '';
    this.artifactUris.set(info.run_id, artifactUri);
    const tags: Record<string, string> = {};
    for (const t of run.data?.tags ?? []) {
      // MLflow's own bookkeeping tags (mlflow.runName, mlflow.user, ...) are not stockops tags.
      if (!t.key.startsWith('mlflow.')) {
        tags[t.key] = t.value;
      }
    }
    const datasets: DatasetInput[] = (run.inputs?.dataset_inputs ?? []).map((i) => {
      let profile: Partial<DatasetInput> = {};
      let source = i.dataset.source;
      try {
        profile = JSON.parse(i.dataset.profile ?? '{}') as Partial<DatasetInput>;
        source = (JSON.parse(i.dataset.source) as { uri?: string }).uri ?? source;
      } catch {
        // A data set logged by another client: keep MLflow's fields as they are.
      }
      return {
        name: i.dataset.name,
        digest: profile.digest ?? i.dataset.digest,
        source,
        from: profile.from ?? '',
        to: profile.to ?? '',
        rows: profile.rows ?? 0,
      };
    });
    const end = info.end_time === undefined ? null : Number(info.end_time);
    return {
      id: info.run_id,
      experimentId: info.experiment_id,
      experimentName: await this.experimentName(info.experiment_id),
      name: info.run_name ?? '',
      status: info.status === 'SCHEDULED' ? 'RUNNING' : info.status,
      startTime: Number(info.start_time ?? 0),
      endTime: end === null || end === 0 || info.status === 'RUNNING' ? null : end,
      params: Object.fromEntries((run.data?.params ?? []).map((p) => [p.key, p.value])),
      metrics: Object.fromEntries((run.data?.metrics ?? []).map((m) => [m.key, Number(m.value)])),
      tags,
      artifactUri,
      datasets,
    };
  }
}
