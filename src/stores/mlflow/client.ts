// MLflow REST client (tracking, registry, artifact proxy): typed calls, limits, retries and error codes.
import {
  ArtifactNotFoundError,
  ConfigError,
  ConflictError,
  InvalidInputError,
  ModelNotFoundError,
  RunNotFoundError,
  StockopsError,
  StoreBusyError,
} from '../../core/index.js';

/** MLflow's per-request limits for runs/log-batch (mlflow/utils/validation.py). */
export const LOG_BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;

export interface MlflowKeyValue {
  key: string;
  value: string;
}

export interface MlflowMetric {
  key: string;
  /** Numbers on the way in; MLflow may answer NaN and infinities as strings ("NaN"). */
  value: number | string;
  timestamp: number | string;
  step: number | string;
}

export interface MlflowExperiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  tags?: MlflowKeyValue[];
}

export interface MlflowRunInfo {
  run_id: string;
  run_name?: string;
  experiment_id: string;
  status: 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
  start_time?: number | string;
  end_time?: number | string;
  artifact_uri?: string;
  lifecycle_stage?: string;
}

export interface MlflowDataset {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface MlflowDatasetInput {
  tags?: MlflowKeyValue[];
  dataset: MlflowDataset;
}

export interface MlflowRun {
  info: MlflowRunInfo;
  data?: { metrics?: MlflowMetric[]; params?: MlflowKeyValue[]; tags?: MlflowKeyValue[] };
  inputs?: { dataset_inputs?: MlflowDatasetInput[] };
}

export interface MlflowModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number | string;
  last_updated_timestamp?: number | string;
  source?: string;
  run_id?: string;
  status?: 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';
  status_message?: string;
  tags?: MlflowKeyValue[];
  aliases?: string[];
}

export interface MlflowRegisteredModel {
  name: string;
  creation_timestamp?: number | string;
  latest_versions?: MlflowModelVersion[];
  aliases?: { alias: string; version: string }[];
  tags?: MlflowKeyValue[];
}

/** An error answer from MLflow: its `error_code` (e.g. RESOURCE_DOES_NOT_EXIST) and HTTP status. */
export class MlflowApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly endpoint: string,
  ) {
    super(`MLflow ${endpoint} answered ${status} ${errorCode}: ${message}`);
    this.name = 'MlflowApiError';
  }
}

/** What a failing call was about, so an MLflow error code becomes the right stockops error. */
export type MlflowSubject =
  | { kind: 'run'; id: string }
  | { kind: 'model'; what: string }
  | { kind: 'artifact'; key: string }
  | { kind: 'other' };

/**
 * Turns MLflow's error codes into stockops domain errors; anything else is passed through unchanged.
 * Codes: mlflow/protos/databricks.proto (ErrorCode).
 */
export function toDomainError(e: unknown, subject: MlflowSubject): unknown {
  if (!(e instanceof MlflowApiError)) {
    return e;
  }
  switch (e.errorCode) {
    case 'RESOURCE_DOES_NOT_EXIST':
    case 'NOT_FOUND':
    case 'ENDPOINT_NOT_FOUND':
      switch (subject.kind) {
        case 'run':
          return new RunNotFoundError(subject.id);
        case 'model':
          return new ModelNotFoundError(subject.what);
        case 'artifact':
          return new ArtifactNotFoundError(subject.key);
        case 'other':
          return e;
      }
      break;
    case 'RESOURCE_ALREADY_EXISTS':
    case 'RESOURCE_CONFLICT':
      return new ConflictError(e.message);
    case 'INVALID_PARAMETER_VALUE':
    case 'INVALID_STATE':
    case 'BAD_REQUEST':
      return subject.kind === 'run' && /param/i.test(e.message)
        ? new ConflictError(`${e.message} (params are write-once)`)
        : new InvalidInputError('mlflow', e.message);
    case 'UNAUTHENTICATED':
    case 'PERMISSION_DENIED':
      return new ConfigError(
        `${e.message}; check MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD`,
      );
    case 'TEMPORARILY_UNAVAILABLE':
    case 'REQUEST_LIMIT_EXCEEDED':
      return new StoreBusyError(e.message);
    default:
      return e;
  }
  return e;
}

export interface MlflowClientOptions {
  /** Tracking server base URL, e.g. http://127.0.0.1:5000 (MLFLOW_TRACKING_URI). */
  trackingUri: string;
  /** Basic auth (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD). */
  username?: string;
  password?: string;
  /** Retries of idempotent calls after a network error, 429 or 5xx. @defaultValue 4 */
  retries?: number;
  /** First backoff delay; doubles each retry, with jitter. @defaultValue 200 */
  backoffMs?: number;
  /** Per-request timeout. @defaultValue 30000 */
  timeoutMs?: number;
  /** How long createModelVersion waits for READY. @defaultValue 60000 */
  readyTimeoutMs?: number;
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | undefined>;

interface CallOptions {
  query?: Query;
  body?: unknown;
  /** Safe to repeat after an unknown outcome (reads, overwrites, write-once writes of the same value). */
  idempotent: boolean;
}

const sleep = (ms: number) =>
  new Promise<void>((r) => {
    setTimeout(r, ms);
  });

const chunk = <T>(list: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) {
    out.push(list.slice(i, i + size));
  }
  return out;
};

/** A path under the artifact proxy: each segment URL-encoded, slashes kept. */
const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export class MlflowClient {
  readonly baseUrl: string;
  private readonly auth: string | null;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly readyTimeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: MlflowClientOptions) {
    if (!/^https?:\/\//i.test(options.trackingUri)) {
      throw new ConfigError(
        `MLFLOW_TRACKING_URI must be an http(s) URL of a tracking server, found "${options.trackingUri}"`,
      );
    }
    this.baseUrl = options.trackingUri.replace(/\/+$/, '');
    this.auth =
      options.username !== undefined && options.username !== ''
        ? `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`
        : null;
    this.retries = options.retries ?? 4;
    this.backoffMs = options.backoffMs ?? 200;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  // ---- transport ----

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.auth ? { authorization: this.auth } : {}), ...extra };
  }

  /** Sends one request with retries; returns the raw response of the final attempt. */
  private async send(
    method: string,
    url: string,
    init: { body?: string | Uint8Array; headers?: Record<string, string> },
    idempotent: boolean,
    label: string,
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let res: Response | null = null;
      let failure: unknown = null;
      try {
        res = await this.fetchImpl(url, {
          method,
          headers: this.headers(init.headers),
          ...(init.body !== undefined ? { body: init.body } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (e) {
        failure = e;
      }
      // A refused connection never reached the server, so even a create is safe to repeat; 429/503 are
      // answers that did nothing. Other failures are retried only for idempotent calls.
      const refused =
        failure !== null && /ECONNREFUSED/.test(String((failure as { cause?: unknown }).cause));
      const retriable =
        res === null
          ? idempotent || refused
          : res.status === 429 || res.status === 503 || (idempotent && res.status >= 500);
      if (!retriable || attempt >= this.retries) {
        if (res === null) {
          throw new StoreBusyError(
            `MLflow at ${this.baseUrl} is unreachable (${label}): ${String((failure as { cause?: unknown }).cause ?? failure)}; start one with scripts/services/mlflow.sh`,
          );
        }
        return res;
      }
      await res?.body?.cancel();
      const delay = this.backoffMs * 2 ** attempt;
      await sleep(delay / 2 + Math.random() * delay);
    }
  }

  private async fail(res: Response, label: string): Promise<never> {
    const text = await res.text();
    let code = `HTTP_${res.status}`;
    let message = text.slice(0, 500);
    try {
      const j = JSON.parse(text) as { error_code?: string; message?: string };
      code = j.error_code ?? code;
      message = j.message ?? message;
    } catch {
      // Not JSON (a proxy or a crash page): keep the text.
    }
    if (res.status === 404 && code.startsWith('HTTP_')) {
      code = 'NOT_FOUND';
    }
    throw new MlflowApiError(res.status, code, message, label);
  }

  /** Calls a JSON endpoint under /api/2.0/mlflow/. */
  async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', endpoint: string, o: CallOptions) {
    const url = new URL(`${this.baseUrl}/api/2.0/mlflow/${endpoint}`);
    for (const [k, v] of Object.entries(o.query ?? {})) {
      if (v !== undefined) {
        url.searchParams.set(k, String(v));
      }
    }
    const res = await this.send(
      method,
      url.href,
      o.body === undefined
        ? {}
        : { body: JSON.stringify(o.body), headers: { 'content-type': 'application/json' } },
      o.idempotent,
      endpoint,
    );
    if (!res.ok) {
      return this.fail(res, endpoint);
    }
    const text = await res.text();
    return (text === '' ? {} : JSON.parse(text)) as T;
  }

  // ---- experiments ----

  async getExperimentByName(name: string): Promise<MlflowExperiment | null> {
    try {
      const r = await this.call<{ experiment: MlflowExperiment }>(
        'GET',
        'experiments/get-by-name',
        {
          query: { experiment_name: name },
          idempotent: true,
        },
      );
      return r.experiment;
    } catch (e) {
      if (e instanceof MlflowApiError && e.errorCode === 'RESOURCE_DOES_NOT_EXIST') {
        return null;
      }
      throw e;
    }
  }

  async getExperiment(id: string): Promise<MlflowExperiment> {
    const r = await this.call<{ experiment: MlflowExperiment }>('GET', 'experiments/get', {
      query: { experiment_id: id },
      idempotent: true,
    });
    return r.experiment;
  }

  async createExperiment(name: string, tags: MlflowKeyValue[] = []): Promise<string> {
    const r = await this.call<{ experiment_id: string }>('POST', 'experiments/create', {
      body: { name, tags },
      idempotent: false,
    });
    return r.experiment_id;
  }

  /** get-by-name, else create; a concurrent create of the same name is resolved by reading again. */
  async getOrCreateExperiment(name: string): Promise<MlflowExperiment> {
    const found = await this.getExperimentByName(name);
    if (found) {
      return found;
    }
    try {
      const id = await this.createExperiment(name);
      return { experiment_id: id, name };
    } catch (e) {
      if (e instanceof MlflowApiError && e.errorCode === 'RESOURCE_ALREADY_EXISTS') {
        const again = await this.getExperimentByName(name);
        if (again) {
          return again;
        }
      }
      throw e;
    }
  }

  /** All active experiments, following page tokens. */
  async searchExperiments(filter?: string): Promise<MlflowExperiment[]> {
    const out: MlflowExperiment[] = [];
    let token: string | undefined;
    do {
      const r = await this.call<{ experiments?: MlflowExperiment[]; next_page_token?: string }>(
        'POST',
        'experiments/search',
        {
          body: {
            max_results: 1000,
            ...(filter ? { filter } : {}),
            ...(token ? { page_token: token } : {}),
          },
          idempotent: true,
        },
      );
      out.push(...(r.experiments ?? []));
      token = r.next_page_token;
    } while (token);
    return out;
  }

  // ---- runs ----

  async createRun(input: {
    experimentId: string;
    runName: string;
    startTime: number;
    tags?: MlflowKeyValue[];
  }): Promise<MlflowRun> {
    const r = await this.call<{ run: MlflowRun }>('POST', 'runs/create', {
      body: {
        experiment_id: input.experimentId,
        run_name: input.runName,
        start_time: input.startTime,
        tags: input.tags ?? [],
      },
      idempotent: false,
    });
    return r.run;
  }

  async getRun(runId: string): Promise<MlflowRun> {
    const r = await this.call<{ run: MlflowRun }>('GET', 'runs/get', {
      query: { run_id: runId },
      idempotent: true,
    });
    return r.run;
  }

  async updateRun(runId: string, status: MlflowRunInfo['status'], endTime?: number) {
    await this.call('POST', 'runs/update', {
      body: { run_id: runId, status, ...(endTime !== undefined ? { end_time: endTime } : {}) },
      idempotent: true,
    });
  }

  /**
   * runs/log-batch split to MLflow's limits. Repeating a batch is harmless (same param values are
   * accepted, tags overwrite, identical metric rows are one row), so it is retried as idempotent.
   */
  async logBatch(
    runId: string,
    batch: { metrics?: MlflowMetric[]; params?: MlflowKeyValue[]; tags?: MlflowKeyValue[] },
  ): Promise<number> {
    const requests: {
      metrics: MlflowMetric[];
      params: MlflowKeyValue[];
      tags: MlflowKeyValue[];
    }[] = [];
    for (const params of chunk(batch.params ?? [], LOG_BATCH_LIMITS.params)) {
      requests.push({ metrics: [], params, tags: [] });
    }
    for (const tags of chunk(batch.tags ?? [], LOG_BATCH_LIMITS.tags)) {
      requests.push({ metrics: [], params: [], tags });
    }
    for (const metrics of chunk(batch.metrics ?? [], LOG_BATCH_LIMITS.metrics)) {
      requests.push({ metrics, params: [], tags: [] });
    }
    for (const r of requests) {
      await this.call('POST', 'runs/log-batch', {
        body: { run_id: runId, ...r },
        idempotent: true,
      });
    }
    return requests.length;
  }

  async logInputs(runId: string, datasets: MlflowDatasetInput[]): Promise<void> {
    await this.call('POST', 'runs/log-inputs', {
      body: { run_id: runId, datasets },
      idempotent: true,
    });
  }

  /** runs/search over the given experiments, following page tokens up to `limit` runs. */
  async searchRuns(input: {
    experimentIds: string[];
    filter?: string;
    orderBy?: string[];
    limit: number;
  }): Promise<MlflowRun[]> {
    const out: MlflowRun[] = [];
    let token: string | undefined;
    do {
      const r = await this.call<{ runs?: MlflowRun[]; next_page_token?: string }>(
        'POST',
        'runs/search',
        {
          body: {
            experiment_ids: input.experimentIds,
            filter: input.filter ?? '',
            order_by: input.orderBy ?? [],
            max_results: Math.min(1000, input.limit - out.length),
            run_view_type: 'ACTIVE_ONLY',
            ...(token ? { page_token: token } : {}),
          },
          idempotent: true,
        },
      );
      out.push(...(r.runs ?? []));
      token = r.next_page_token;
    } while (token && out.length < input.limit);
    return out;
  }

  async getMetricHistory(runId: string, key: string): Promise<MlflowMetric[]> {
    const out: MlflowMetric[] = [];
    let token: string | undefined;
    do {
      const r = await this.call<{ metrics?: MlflowMetric[]; next_page_token?: string }>(
        'GET',
        'metrics/get-history',
        {
          query: { run_id: runId, metric_key: key, max_results: 25000, page_token: token },
          idempotent: true,
        },
      );
      out.push(...(r.metrics ?? []));
      token = r.next_page_token;
    } while (token);
    return out;
  }

  // ---- artifacts, through the server's mlflow-artifacts proxy ----

  /**
   * The proxy path of a run artifact. A run's artifact_uri is `mlflow-artifacts:/<exp>/<run>/artifacts`
   * (optionally with a host) when the server runs with --serve-artifacts; other schemes mean the client
   * would need direct storage access, which stockops does not do.
   */
  static proxyPath(artifactUri: string, path: string): string {
    const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(artifactUri);
    if (!m) {
      throw new ConfigError(
        `MLflow run artifact URI "${artifactUri}" is not served by the tracking server; start the server with --serve-artifacts (scripts/services/mlflow.sh does)`,
      );
    }
    const root = (m[1] ?? '').replace(/\/+$/, '');
    return root === '' ? path : `${root}/${path}`;
  }

  async uploadArtifact(proxyPath: string, bytes: Uint8Array): Promise<void> {
    const label = `mlflow-artifacts PUT ${proxyPath}`;
    const res = await this.send(
      'PUT',
      `${this.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${encodePath(proxyPath)}`,
      { body: bytes, headers: { 'content-type': 'application/octet-stream' } },
      true,
      label,
    );
    if (!res.ok) {
      return this.fail(res, label);
    }
    await res.body?.cancel();
  }

  async downloadArtifact(proxyPath: string): Promise<Uint8Array> {
    const label = `mlflow-artifacts GET ${proxyPath}`;
    const res = await this.send(
      'GET',
      `${this.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${encodePath(proxyPath)}`,
      {},
      true,
      label,
    );
    if (!res.ok) {
      return this.fail(res, label);
    }
    return new Uint8Array(await res.arrayBuffer());
  }

  async listArtifacts(proxyPath: string): Promise<{ path: string; is_dir?: boolean }[]> {
    const label = `mlflow-artifacts list ${proxyPath}`;
    const url = new URL(`${this.baseUrl}/api/2.0/mlflow-artifacts/artifacts`);
    url.searchParams.set('path', proxyPath);
    const res = await this.send('GET', url.href, {}, true, label);
    if (!res.ok) {
      return this.fail(res, label);
    }
    const r = (await res.json()) as { files?: { path: string; is_dir?: boolean }[] };
    return r.files ?? [];
  }

  // ---- registry ----

  async createRegisteredModel(name: string): Promise<MlflowRegisteredModel> {
    const r = await this.call<{ registered_model: MlflowRegisteredModel }>(
      'POST',
      'registered-models/create',
      { body: { name }, idempotent: false },
    );
    return r.registered_model;
  }

  async getRegisteredModel(name: string): Promise<MlflowRegisteredModel> {
    const r = await this.call<{ registered_model: MlflowRegisteredModel }>(
      'GET',
      'registered-models/get',
      { query: { name }, idempotent: true },
    );
    return r.registered_model;
  }

  async searchRegisteredModels(filter?: string): Promise<MlflowRegisteredModel[]> {
    const out: MlflowRegisteredModel[] = [];
    let token: string | undefined;
    do {
      const r = await this.call<{
        registered_models?: MlflowRegisteredModel[];
        next_page_token?: string;
      }>('GET', 'registered-models/search', {
        query: { max_results: 1000, filter, page_token: token },
        idempotent: true,
      });
      out.push(...(r.registered_models ?? []));
      token = r.next_page_token;
    } while (token);
    return out;
  }

  /** Creates a model version and waits until MLflow reports it READY. */
  async createModelVersion(input: {
    name: string;
    source: string;
    runId?: string;
    tags?: MlflowKeyValue[];
    description?: string;
  }): Promise<MlflowModelVersion> {
    const r = await this.call<{ model_version: MlflowModelVersion }>(
      'POST',
      'model-versions/create',
      {
        body: {
          name: input.name,
          source: input.source,
          ...(input.runId !== undefined ? { run_id: input.runId } : {}),
          tags: input.tags ?? [],
          ...(input.description !== undefined ? { description: input.description } : {}),
        },
        idempotent: false,
      },
    );
    return this.waitReady(r.model_version);
  }

  private async waitReady(mv: MlflowModelVersion): Promise<MlflowModelVersion> {
    const deadline = Date.now() + this.readyTimeoutMs;
    let current = mv;
    let delay = 100;
    while (current.status === 'PENDING_REGISTRATION') {
      if (Date.now() > deadline) {
        throw new StoreBusyError(
          `MLflow model version ${mv.name}/${mv.version} is still PENDING_REGISTRATION after ${this.readyTimeoutMs} ms`,
        );
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 2000);
      current = await this.getModelVersion(mv.name, mv.version);
    }
    if (current.status === 'FAILED_REGISTRATION') {
      throw new StockopsError(
        'CONFLICT',
        `MLflow failed to register ${mv.name}/${mv.version}: ${current.status_message ?? 'no message'}`,
      );
    }
    return current;
  }

  async getModelVersion(name: string, version: string | number): Promise<MlflowModelVersion> {
    const r = await this.call<{ model_version: MlflowModelVersion }>('GET', 'model-versions/get', {
      query: { name, version: String(version) },
      idempotent: true,
    });
    return r.model_version;
  }

  async searchModelVersions(filter: string): Promise<MlflowModelVersion[]> {
    const out: MlflowModelVersion[] = [];
    let token: string | undefined;
    do {
      const r = await this.call<{
        model_versions?: MlflowModelVersion[];
        next_page_token?: string;
      }>('GET', 'model-versions/search', {
        query: { filter, max_results: 10000, page_token: token },
        idempotent: true,
      });
      out.push(...(r.model_versions ?? []));
      token = r.next_page_token;
    } while (token);
    return out;
  }

  async setAlias(name: string, alias: string, version: string | number): Promise<void> {
    await this.call('POST', 'registered-models/alias', {
      body: { name, alias, version: String(version) },
      idempotent: true,
    });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.call('DELETE', 'registered-models/alias', {
      body: { name, alias },
      idempotent: true,
    });
  }

  /** The version an alias points at, or null when the alias (or the model) does not exist. */
  async getVersionByAlias(name: string, alias: string): Promise<MlflowModelVersion | null> {
    try {
      const r = await this.call<{ model_version: MlflowModelVersion }>(
        'GET',
        'registered-models/alias',
        { query: { name, alias }, idempotent: true },
      );
      return r.model_version;
    } catch (e) {
      // A missing alias is INVALID_PARAMETER_VALUE "... alias X not found" (MLflow 3), a missing model 404.
      if (
        e instanceof MlflowApiError &&
        (e.errorCode === 'RESOURCE_DOES_NOT_EXIST' ||
          (e.errorCode === 'INVALID_PARAMETER_VALUE' && /alias .* not found/i.test(e.message)))
      ) {
        return null;
      }
      throw e;
    }
  }
}

/** Quotes a value for MLflow's search filter grammar (single quotes; backslash escapes). */
export function filterString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
