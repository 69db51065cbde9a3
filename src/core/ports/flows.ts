// Flow ports (FlowStore, FlowService, FlowDefinition, TaskContext, LeaseKeeper) and the flow and task run types.

/**
 * Life cycle of a flow run and of each of its task runs (Prefect's state names). A value, not only a
 * type, so the API schema, the CLI and the web can list the states without copying them.
 */
export const FLOW_RUN_STATES = [
  'Scheduled',
  'Queued',
  'Running',
  'Completed',
  'Failed',
  'Cancelled',
  'Crashed',
  'Retrying',
] as const;

export type FlowRunState = (typeof FLOW_RUN_STATES)[number];

/** States a run never leaves (Crashed is retried, so it is not one). */
export const FLOW_RUN_ENDED_STATES = [
  'Completed',
  'Failed',
  'Cancelled',
] as const satisfies readonly FlowRunState[];

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

/**
 * A value's type in JSON Schema, the subset flow parameters use: a scalar (`const` for one literal), a list
 * of them (`anyOf`) or an array. Flows describe their parameters with TypeBox schemas, which are JSON Schema.
 */
export interface ParameterValueSchema {
  type?: string;
  description?: string;
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

/** An array parameter's element: a value, or a choice among literals. */
export interface ParameterItemSchema extends ParameterValueSchema {
  anyOf?: ParameterValueSchema[];
}

/** One flow parameter: its JSON Schema, enough for a client to build a form field and check it. */
export interface FlowParameter extends ParameterValueSchema {
  description: string;
  default?: unknown;
  anyOf?: ParameterValueSchema[];
  items?: ParameterItemSchema;
  minItems?: number;
  maxItems?: number;
}

/** A flow as listed by the API: its name, what it does, its tasks and typed parameters. */
export interface FlowInfo {
  name: string;
  description: string;
  tasks: string[];
  parameters: Record<string, FlowParameter>;
  /** Parameters a run must be given (the others have defaults or are optional). */
  required: string[];
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
  /** Parameters without a default that a run must be given. @defaultValue [] */
  required?: readonly string[];
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
