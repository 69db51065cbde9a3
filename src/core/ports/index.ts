// Ports: what the pure core and the application services need from the outside world. Adapters live in src/stores.
export type * from './data.js';
export type * from './event-bus.js';

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
  /** Data sets the run was trained on (MLflow's run inputs). */
  datasets?: DatasetInput[];
}

/** A data set a run used: enough to find and verify the exact rows again. */
export interface DatasetInput {
  name: string;
  /** Content digest of the rows (hex). */
  digest: string;
  /** Where the rows came from, e.g. `stockops://prices/^GSPC`. */
  source: string;
  from: string;
  to: string;
  rows: number;
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
  /** Records the training data set as a run input (MLflow's runs/log-inputs). */
  logDataset(runId: string, dataset: DatasetInput): Promise<void>;
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

/** `meta.jobId` is the queue's id of the job being run (for BullMQ scheduler ticks, it names the tick). */
export type JobHandler = (data: unknown, meta?: { jobId: string }) => Promise<unknown>;

/** Background job execution; handlers are registered by name before the queue starts. */
export interface JobQueue {
  enqueue(name: string, data: unknown): Promise<string>;
  get(id: string): Promise<JobInfo | null>;
  /** Resolves when the job has completed or failed. */
  wait(id: string, timeoutMs?: number): Promise<JobInfo>;
  close(): Promise<void>;
}

/** Optional settings of one enqueued job. */
export interface EnqueueOptions {
  /** Stable id: a job with an id already queued or running is not added twice. */
  jobId?: string;
}

/** A JobQueue that can also drop a job not yet started, and report its backlog. */
export interface ManagedJobQueue extends JobQueue {
  enqueue(name: string, data: unknown, options?: EnqueueOptions): Promise<string>;
  /** Removes a job that has not started; false when it is running, finished or unknown. */
  cancel(id: string): Promise<boolean>;
  /** Jobs waiting to start. */
  depth(): Promise<number>;
  /** Processes taking jobs from this queue (this one included, when it runs jobs). */
  workers(): Promise<number>;
}

/** Life cycle of a flow run and of each of its task runs (Prefect's state names). */
export type FlowRunState =
  | 'Scheduled'
  | 'Queued'
  | 'Running'
  | 'Completed'
  | 'Failed'
  | 'Cancelled'
  | 'Crashed'
  | 'Retrying';

export interface FlowLogLine {
  at: number;
  level: 'info' | 'warn' | 'error';
  task: string | null;
  message: string;
}

export interface TaskRunRecord {
  flowRunId: string;
  task: string;
  state: FlowRunState;
  attempts: number;
  idempotencyKey: string;
  result: unknown;
  error: string | null;
  startedAt: number | null;
  endedAt: number | null;
}

export interface FlowRunRecord {
  id: string;
  flow: string;
  state: FlowRunState;
  /** Executions of the whole run; a crash and its retry count as two. */
  attempts: number;
  parameters: Record<string, unknown>;
  result: unknown;
  error: { code: string; message: string } | null;
  parentId: string | null;
  scheduleId: string | null;
  idempotencyKey: string | null;
  /** Who runs it now (host:pid), and when it last said so: the lease a crash lets expire. */
  worker: string | null;
  heartbeatAt: number | null;
  cancelRequested: boolean;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
}

export interface FlowRunFilter {
  flow?: string;
  state?: FlowRunState;
  parentId?: string;
  /** @defaultValue 100 */
  limit?: number;
}

export interface ScheduleRecord {
  /** Stable id, e.g. `etl-us`: restarts and replicas upsert, never duplicate. */
  id: string;
  flow: string;
  cron: string;
  timezone: string;
  parameters: Record<string, unknown>;
  enabled: boolean;
  description: string;
  updatedAt: number;
}

/** Flow runs, task runs, their logs and the schedules, kept in the SQL store. */
export interface FlowStore {
  /** Inserts a run; with an idempotency key already used, returns the existing run instead. */
  createRun(input: {
    id: string;
    flow: string;
    parameters: Record<string, unknown>;
    state: FlowRunState;
    parentId?: string | null;
    scheduleId?: string | null;
    idempotencyKey?: string | null;
  }): Promise<{ run: FlowRunRecord; created: boolean }>;
  getRun(id: string): Promise<FlowRunRecord | null>;
  /** Newest first. */
  listRuns(filter: FlowRunFilter): Promise<FlowRunRecord[]>;
  /**
   * Takes the run for one execution when it is Queued, Retrying or Crashed, or Running with a lease
   * older than `leaseMs`: state Running, attempts + 1 (a parked parent resuming keeps its count). Null when
   * someone else holds it or it has ended.
   */
  claimRun(id: string, worker: string, now: number, leaseMs: number): Promise<FlowRunRecord | null>;
  /** Renews the lease (taking back a run swept as Crashed that nobody claimed); false when another worker holds it. */
  heartbeat(id: string, worker: string, now: number): Promise<boolean>;
  /** Ends or parks a run, only while `worker` holds it (null: whoever holds it). */
  finishRun(
    id: string,
    worker: string | null,
    patch: {
      state: FlowRunState;
      result?: unknown;
      error?: { code: string; message: string } | null;
      endedAt?: number | null;
    },
  ): Promise<boolean>;
  /** Asks a run to stop; a run that has not started is Cancelled at once. Returns the run after. */
  requestCancel(id: string, now: number): Promise<FlowRunRecord | null>;
  /** Running runs whose lease expired become Crashed; returns them. */
  markCrashed(now: number, leaseMs: number): Promise<FlowRunRecord[]>;
  getTaskRuns(flowRunId: string): Promise<TaskRunRecord[]>;
  saveTaskRun(run: TaskRunRecord): Promise<void>;
  appendLog(flowRunId: string, line: FlowLogLine): Promise<void>;
  getLogs(flowRunId: string, limit?: number): Promise<FlowLogLine[]>;
  countByState(): Promise<{ flow: string; state: FlowRunState; count: number }[]>;
  /** Inserts the schedule when its id is new; an existing one (perhaps edited by a user) is kept. */
  ensureSchedule(s: Omit<ScheduleRecord, 'updatedAt'>): Promise<ScheduleRecord>;
  listSchedules(): Promise<ScheduleRecord[]>;
  getSchedule(id: string): Promise<ScheduleRecord | null>;
  updateSchedule(
    id: string,
    patch: Partial<Pick<ScheduleRecord, 'cron' | 'timezone' | 'enabled' | 'parameters'>>,
  ): Promise<ScheduleRecord | null>;
}

/** A flow as listed by the API: its name, what it does, its tasks and typed parameters. */
export interface FlowInfo {
  name: string;
  description: string;
  tasks: string[];
  parameters: Record<string, { type: string; description: string; default?: unknown }>;
}

export interface FlowRunDetail extends FlowRunRecord {
  taskRuns: TaskRunRecord[];
  logs: FlowLogLine[];
}

/** What the API and CLI use to start, watch and cancel flow runs and to edit schedules. */
export interface FlowService {
  listFlows(): FlowInfo[];
  /** Validates the parameters, records the run and queues it; returns the run id. */
  start(
    flow: string,
    parameters: unknown,
    options?: { parentId?: string; scheduleId?: string; idempotencyKey?: string },
  ): Promise<string>;
  get(id: string): Promise<FlowRunDetail | null>;
  list(filter: FlowRunFilter): Promise<FlowRunRecord[]>;
  cancel(id: string): Promise<FlowRunRecord>;
  listSchedules(): Promise<ScheduleRecord[]>;
  /** When an enabled schedule fires next (ms since the epoch); null when disabled. */
  nextRunAt(schedule: ScheduleRecord): number | null;
  updateSchedule(
    id: string,
    patch: Partial<Pick<ScheduleRecord, 'cron' | 'timezone' | 'enabled' | 'parameters'>>,
  ): Promise<ScheduleRecord>;
}

/** What a task sees while it runs. */
export interface TaskContext {
  flowRunId: string;
  /** 1-based attempt of this task within the current execution of the run. */
  attempt: number;
  /** Stable across retries and re-executions of the same run, e.g. for a model registration. */
  idempotencyKey: string;
  /** Aborted when the run is cancelled or the task times out. */
  signal: AbortSignal;
  log(message: string, level?: FlowLogLine['level']): void;
  /** Results of the tasks before this one, by task name. */
  results: Readonly<Record<string, unknown>>;
  /** Starts a child run of this run once per `key`, however often the task is retried. */
  startChild(flow: string, parameters: unknown, key: string): Promise<string>;
  children(): Promise<FlowRunRecord[]>;
}

export interface TaskDefinition<P> {
  name: string;
  /** Extra attempts after a failure, with exponential backoff and jitter. @defaultValue 0 */
  retries?: number;
  /** First backoff delay; doubles per attempt. @defaultValue 1000 */
  retryDelayMs?: number;
  /** @defaultValue 1_800_000 */
  timeoutMs?: number;
  /** Runs only once every child run has ended; until then the flow run waits as Scheduled. */
  waitForChildren?: boolean;
  run(params: P, ctx: TaskContext): Promise<unknown>;
}

/** A named sequence of tasks with typed parameters. */
export interface FlowDefinition<P> {
  name: string;
  description: string;
  parameters: FlowInfo['parameters'];
  /** Validates raw parameters (throws InvalidInputError naming the field) and fills defaults. */
  parse(raw: unknown): P;
  tasks: readonly TaskDefinition<P>[];
  /** The run's result summary from the task results. @defaultValue the last task's result */
  summarize?(results: Readonly<Record<string, unknown>>): unknown;
  /**
   * Cleans up after an attempt whose worker died (lease expired): called by the sweep that marks the run
   * Crashed, before its retry is queued or it is Failed. Errors are logged on the run, not thrown.
   */
  onCrashed?(params: P, run: FlowRunRecord, log: (message: string) => void): Promise<void>;
}

/**
 * Renews the leases of the runs this process holds off the main event loop, so a long synchronous training
 * does not look like a dead worker.
 */
export interface LeaseKeeper {
  hold(flowRunId: string): void;
  release(flowRunId: string): void;
  close(): Promise<void>;
}
