// Ports: what the pure core and the pipelines need from the outside world. Adapters live in src/stores.
import type { Bar, QuarantinedRow } from '../data/index.js';

export interface TickerSummary {
  symbol: string;
  firstDate: string;
  lastDate: string;
  rows: number;
}

export interface QuarantineEntry extends QuarantinedRow {
  id: number;
  symbol: string;
  source: string;
  createdAt: string;
}

/** Daily bars per ticker, plus the quarantine where rejected input rows are kept with a reason. */
export interface PriceStore {
  listTickers(): Promise<TickerSummary[]>;
  getTicker(symbol: string): Promise<TickerSummary | null>;
  /** Bars sorted by date; `from`/`to` are inclusive YYYY-MM-DD bounds. */
  getBars(symbol: string, range?: { from?: string; to?: string }): Promise<Bar[]>;
  /** Inserts bars; a (symbol, date) already stored is left unchanged. Returns the number inserted. */
  insertBars(symbol: string, bars: readonly Bar[], source: string): Promise<number>;
  addQuarantine(symbol: string, rows: readonly QuarantinedRow[], source: string): Promise<void>;
  listQuarantine(symbol?: string): Promise<QuarantineEntry[]>;
}

export interface Experiment {
  id: string;
  name: string;
}

export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

export interface TrackedRun {
  id: string;
  experimentId: string;
  experimentName: string;
  name: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  params: Record<string, string>;
  /** Latest value of each metric key. */
  metrics: Record<string, number>;
  tags: Record<string, string>;
  artifactUri: string;
}

export interface RunSearch {
  experimentNames?: string[];
  /** Every tag given must match exactly. */
  tags?: Record<string, string>;
  /** @defaultValue 100 */
  limit?: number;
}

/** Experiment tracking in MLflow's model: experiments hold runs with params, metrics by step, tags, artifacts. */
export interface Tracker {
  getOrCreateExperiment(name: string): Promise<Experiment>;
  createRun(input: {
    experimentId: string;
    name: string;
    tags?: Record<string, string>;
  }): Promise<TrackedRun>;
  /** Params are write-once: logging a different value for a key fails. */
  logParams(runId: string, params: Record<string, string>): Promise<void>;
  logMetrics(runId: string, metrics: readonly MetricPoint[]): Promise<void>;
  setTags(runId: string, tags: Record<string, string>): Promise<void>;
  logArtifact(runId: string, path: string, bytes: Uint8Array): Promise<void>;
  getArtifact(runId: string, path: string): Promise<Uint8Array>;
  endRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>): Promise<void>;
  getRun(runId: string): Promise<TrackedRun>;
  getMetricHistory(runId: string, key: string): Promise<MetricPoint[]>;
  /** Newest first. */
  searchRuns(query: RunSearch): Promise<TrackedRun[]>;
}

export interface ModelVersion {
  name: string;
  version: number;
  /** Where the model artifact lives, e.g. runs:/<runId>/model. */
  source: string;
  runId: string;
  createdAt: number;
  tags: Record<string, string>;
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  createdAt: number;
  latestVersion: number | null;
  aliases: Record<string, number>;
}

export interface AliasEvent {
  id: number;
  name: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  actor: string;
  reason: string;
  metrics: Record<string, number>;
  at: number;
}

/** Model registry: named models, numbered versions, movable aliases such as `champion`. */
export interface Registry {
  ensureModel(name: string): Promise<RegisteredModel>;
  createVersion(input: {
    name: string;
    source: string;
    runId: string;
    tags?: Record<string, string>;
  }): Promise<ModelVersion>;
  getVersion(name: string, version: number): Promise<ModelVersion>;
  listVersions(name: string): Promise<ModelVersion[]>;
  listModels(): Promise<RegisteredModel[]>;
  setAlias(name: string, alias: string, version: number): Promise<void>;
  deleteAlias(name: string, alias: string): Promise<void>;
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion | null>;
}

/** Append-only log of alias moves (who, why, with which numbers). */
export interface AliasLog {
  record(event: Omit<AliasEvent, 'id' | 'at'>): Promise<AliasEvent>;
  list(name: string): Promise<AliasEvent[]>;
}

/** Blob storage addressed by slash-separated keys. */
export interface ArtifactStore {
  /** URI of the store root, e.g. file:///data/artifacts or s3://bucket/prefix. */
  readonly baseUri: string;
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  list(prefix: string): Promise<string[]>;
}

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface JobInfo {
  id: string;
  name: string;
  status: JobStatus;
  data: unknown;
  result?: unknown;
  error?: { code: string; message: string };
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
}

export type JobHandler = (data: unknown) => Promise<unknown>;

/** Background job execution; handlers are registered by name before the queue starts. */
export interface JobQueue {
  enqueue(name: string, data: unknown): Promise<string>;
  get(id: string): Promise<JobInfo | null>;
  /** Resolves when the job has completed or failed. */
  wait(id: string, timeoutMs?: number): Promise<JobInfo>;
  close(): Promise<void>;
}
