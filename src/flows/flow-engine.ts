// Flow engine: records flow runs in the FlowStore and executes them task by task with retries, timeouts,
// a renewed lease (so a dead worker's run is found Crashed and retried) and cancellation.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  makeEvent,
  FlowNotFoundError,
  FlowRunNotFoundError,
  InternalError,
  isRetryable,
  isStockopsError,
  ScheduleNotFoundError,
  type EventBus,
  type FlowDefinition,
  type FlowInfo,
  type FlowLogLine,
  type FlowRunDetail,
  type FlowRunFilter,
  type FlowRunRecord,
  FLOW_RUN_ENDED_STATES,
  type FlowRunState,
  type FlowService,
  type FlowStore,
  type JobHandler,
  type LeaseKeeper,
  type ManagedJobQueue,
  type ScheduleRecord,
  type TaskContext,
  type TaskRunRecord,
} from '../core/index.js';
import { retryDelay } from './backoff.js';
import { nextFire, validateCron } from './cron.js';

/** States after which a run never changes again. */
export const ENDED_STATES: readonly FlowRunState[] = FLOW_RUN_ENDED_STATES;
const ended = (s: FlowRunState) => ENDED_STATES.includes(s);

/** Payload of a queued flow job: a run to execute, or a schedule's tick to turn into a run. */
export interface FlowJobData {
  flowRunId?: string;
  scheduleId?: string;
}

/** Keeps schedules firing: in-process timers or BullMQ job schedulers. */
export interface ScheduleDriver {
  /** Applies a schedule's current settings (enabled, cron, time zone). */
  sync(schedule: ScheduleRecord): Promise<void>;
  close(): Promise<void>;
}

export interface FlowEngineOptions {
  flows: readonly FlowDefinition<unknown>[];
  store: FlowStore;
  /** @defaultValue `${hostname()}:${process.pid}` */
  workerId?: string;
  /** How often a running run renews its lease and looks for a cancel request. @defaultValue 2000 */
  heartbeatMs?: number;
  /** A Running run whose lease is older than this is Crashed. @defaultValue 15000 */
  leaseMs?: number;
  /** Executions of one run (crash retries included) before it is Failed. @defaultValue 3 */
  maxAttempts?: number;
  /** Renews held leases off the main thread (stack mode), so CPU-bound tasks do not look like a crash. */
  leaseKeeper?: LeaseKeeper | null;
  /** Called once per run that reaches Completed, Failed or Cancelled in this process. */
  onRunEnded?: (run: FlowRunRecord) => void;
  /** Where every state change of a run is announced as flow-run.changed. */
  events?: EventBus;
  random?: () => number;
}

class CancelledError extends Error {
  readonly code = 'CANCELLED';
}

class TaskTimeoutError extends Error {
  readonly code = 'TASK_TIMEOUT';
}

class LeaseLostError extends Error {}

const errorOf = (e: unknown): { code: string; message: string } => {
  if (isStockopsError(e)) {
    return { code: e.code, message: e.message };
  }
  if (e instanceof CancelledError || e instanceof TaskTimeoutError) {
    return { code: e.code, message: e.message };
  }
  return { code: 'TASK_FAILED', message: e instanceof Error ? e.message : String(e) };
};

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason instanceof Error ? signal.reason : new CancelledError('cancelled'));
      },
      { once: true },
    );
  });

/** Settles with the task, or rejects on timeout or abort, whichever is first. */
function guard(work: () => Promise<unknown>, timeoutMs: number, ac: AbortController) {
  return new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => {
      const err = new TaskTimeoutError(`timed out after ${timeoutMs} ms`);
      ac.abort(err);
      reject(err);
    }, timeoutMs);
    const onAbort = () => {
      reject(
        ac.signal.reason instanceof Error ? ac.signal.reason : new CancelledError('cancelled'),
      );
    };
    ac.signal.addEventListener('abort', onAbort, { once: true });
    work()
      .then(resolve, reject)
      .finally(() => {
        clearTimeout(timer);
        ac.signal.removeEventListener('abort', onAbort);
      });
  });
}

export class FlowEngine implements FlowService {
  readonly workerId: string;
  private readonly flows: ReadonlyMap<string, FlowDefinition<unknown>>;
  private readonly store: FlowStore;
  private readonly heartbeatMs: number;
  readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly random: () => number;
  private queue: ManagedJobQueue | null = null;
  private driver: ScheduleDriver | null = null;
  private reaper: NodeJS.Timeout | null = null;
  private readonly active = new Map<string, AbortController>();

  constructor(private readonly options: FlowEngineOptions) {
    this.flows = new Map(options.flows.map((f) => [f.name, f]));
    this.store = options.store;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}`;
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.random = options.random ?? Math.random;
  }

  /** One job handler per flow name, for the queue's typed registry. */
  handlers(): Map<string, JobHandler> {
    return new Map(
      [...this.flows.keys()].map((name) => [
        name,
        (data: unknown, meta?: { jobId: string }) => this.execute(name, data, meta?.jobId),
      ]),
    );
  }

  attach(queue: ManagedJobQueue, driver: ScheduleDriver | null = null): void {
    this.queue = queue;
    this.driver = driver;
  }

  /**
   * Finds crashed runs every `intervalMs` and queues their retry; with `requeueQueued`, also queues
   * runs left Queued by a previous process (an in-process queue forgets them on exit).
   */
  async startMaintenance(intervalMs: number, requeueQueued: boolean): Promise<void> {
    if (requeueQueued) {
      for (const run of await this.store.listRuns({ state: 'Queued', limit: 10_000 })) {
        await this.requireQueue().enqueue(run.flow, { flowRunId: run.id }, { jobId: run.id });
      }
    }
    await this.reap();
    this.reaper = setInterval(() => {
      this.reap().catch(() => undefined);
    }, intervalMs);
    this.reaper.unref();
  }

  /** Marks runs with an expired lease Crashed and queues a retry (or fails them after maxAttempts). */
  async reap(): Promise<FlowRunRecord[]> {
    const crashed = await this.store.markCrashed(Date.now(), this.leaseMs);
    for (const run of crashed) {
      this.announce(run, 'Running');
      const warn = (message: string) =>
        this.store.appendLog(run.id, { at: Date.now(), level: 'warn', task: null, message });
      await warn(
        `worker ${run.worker ?? '?'} stopped renewing its lease (${this.leaseMs} ms): Crashed after attempt ${run.attempts}`,
      );
      await this.cleanUpCrashed(run, warn);
      if (run.attempts < this.maxAttempts) {
        await this.requireQueue().enqueue(
          run.flow,
          { flowRunId: run.id },
          { jobId: `${run.id}-retry-${run.attempts}` },
        );
      } else {
        await this.store.finishRun(run.id, null, {
          state: 'Failed',
          error: { code: 'CRASHED', message: `crashed ${run.attempts} times; giving up` },
        });
        this.announce(await this.store.getRun(run.id), run.state);
      }
    }
    return crashed;
  }

  /** The flow's own clean-up of what the dead attempt left (e.g. a tracked run still RUNNING), before any retry. */
  private async cleanUpCrashed(
    run: FlowRunRecord,
    warn: (message: string) => Promise<void>,
  ): Promise<void> {
    const def = this.flows.get(run.flow);
    if (!def?.onCrashed) {
      return;
    }
    const lines: string[] = [];
    try {
      await def.onCrashed(def.parse(run.parameters), run, (m) => lines.push(m));
    } catch (e) {
      lines.push(`clean-up after the crash failed: ${errorOf(e).message}`);
    }
    for (const line of lines) {
      await warn(line);
    }
  }

  async close(): Promise<void> {
    if (this.reaper) {
      clearInterval(this.reaper);
    }
    await this.driver?.close();
    await this.options.leaseKeeper?.close();
  }

  listFlows(): FlowInfo[] {
    return [...this.flows.values()].map((f) => ({
      name: f.name,
      description: f.description,
      tasks: f.tasks.map((t) => t.name),
      parameters: f.parameters,
      required: [...(f.required ?? [])],
    }));
  }

  hasFlow(name: string): boolean {
    return this.flows.has(name);
  }

  async start(
    flow: string,
    raw: unknown,
    options: { parentId?: string; scheduleId?: string; idempotencyKey?: string } = {},
  ): Promise<string> {
    const def = this.flows.get(flow);
    if (!def) {
      throw new FlowNotFoundError(flow, [...this.flows.keys()]);
    }
    const parameters = def.parse(raw ?? {}) as Record<string, unknown>;
    const { run, created } = await this.store.createRun({
      id: randomUUID(),
      flow,
      parameters,
      state: 'Queued',
      parentId: options.parentId ?? null,
      scheduleId: options.scheduleId ?? null,
      idempotencyKey: options.idempotencyKey ?? null,
    });
    if (created) {
      this.announce(run, null);
      try {
        await this.requireQueue().enqueue(flow, { flowRunId: run.id }, { jobId: run.id });
      } catch (e) {
        await this.store.finishRun(run.id, null, { state: 'Failed', error: errorOf(e) });
        this.announce(await this.store.getRun(run.id), run.state);
        throw e;
      }
    }
    return run.id;
  }

  async get(id: string): Promise<FlowRunDetail | null> {
    const run = await this.store.getRun(id);
    if (!run) {
      return null;
    }
    const [taskRuns, logs] = await Promise.all([
      this.store.getTaskRuns(id),
      this.store.getLogs(id),
    ]);
    return { ...run, taskRuns, logs };
  }

  list(filter: FlowRunFilter): Promise<FlowRunRecord[]> {
    return this.store.listRuns(filter);
  }

  async cancel(id: string): Promise<FlowRunRecord> {
    const run = await this.store.requestCancel(id, Date.now());
    if (!run) {
      throw new FlowRunNotFoundError(id);
    }
    if (run.state === 'Cancelled') {
      this.announce(run, null);
      await this.requireQueue().cancel(id);
    }
    // A run executing in this process stops at once; elsewhere its worker sees the request on its next heartbeat.
    this.active.get(id)?.abort(new CancelledError('cancelled on request'));
    return run;
  }

  listSchedules(): Promise<ScheduleRecord[]> {
    return this.store.listSchedules();
  }

  nextRunAt(schedule: ScheduleRecord): number | null {
    return schedule.enabled ? nextFire(schedule.cron, schedule.timezone, Date.now()) : null;
  }

  async updateSchedule(
    id: string,
    patch: Partial<Pick<ScheduleRecord, 'cron' | 'timezone' | 'enabled' | 'parameters'>>,
  ): Promise<ScheduleRecord> {
    const current = await this.store.getSchedule(id);
    if (!current) {
      throw new ScheduleNotFoundError(
        id,
        (await this.store.listSchedules()).map((s) => s.id),
      );
    }
    validateCron(patch.cron ?? current.cron, patch.timezone ?? current.timezone);
    if (patch.parameters !== undefined) {
      this.flows.get(current.flow)?.parse(patch.parameters);
    }
    const updated = await this.store.updateSchedule(id, patch);
    if (!updated) {
      throw new ScheduleNotFoundError(id, []);
    }
    await this.driver?.sync(updated);
    return updated;
  }

  /**
   * The queue's handler: runs a flow run; first creates it when a schedule fired, or when the job was
   * enqueued directly with the flow's parameters as its data.
   */
  async execute(name: string, raw: unknown, jobId?: string): Promise<unknown> {
    const data = (raw ?? {}) as FlowJobData;
    let id = typeof data.flowRunId === 'string' ? data.flowRunId : undefined;
    if (id === undefined && typeof data.scheduleId !== 'string') {
      const def = this.flows.get(name);
      if (!def) {
        throw new FlowNotFoundError(name, [...this.flows.keys()]);
      }
      const created = await this.store.createRun({
        id: jobId ?? randomUUID(),
        flow: name,
        parameters: def.parse(raw ?? {}) as Record<string, unknown>,
        state: 'Queued',
        idempotencyKey: jobId === undefined ? null : `job:${jobId}`,
      });
      if (created.created) {
        this.announce(created.run, null);
      }
      id = created.run.id;
    }
    if (id === undefined) {
      const schedule = data.scheduleId ? await this.store.getSchedule(data.scheduleId) : null;
      if (!schedule?.enabled) {
        return null;
      }
      const created = await this.store.createRun({
        id: randomUUID(),
        flow: schedule.flow,
        parameters: this.flows.get(schedule.flow)?.parse(schedule.parameters) as Record<
          string,
          unknown
        >,
        state: 'Queued',
        scheduleId: schedule.id,
        // A BullMQ scheduler job id names the tick, so a tick delivered twice is one run.
        idempotencyKey: `schedule:${schedule.id}:${jobId ?? randomUUID()}`,
      });
      if (created.created) {
        this.announce(created.run, null);
      }
      id = created.run.id;
    }
    return this.runOnce(id);
  }

  private requireQueue(): ManagedJobQueue {
    if (!this.queue) {
      throw new InternalError(
        'FlowEngine expected a queue to enqueue on; found none (call attach() before starting runs).',
      );
    }
    return this.queue;
  }

  private async runOnce(id: string): Promise<unknown> {
    const run = await this.store.claimRun(id, this.workerId, Date.now(), this.leaseMs);
    if (!run) {
      const current = await this.store.getRun(id);
      if (!current) {
        throw new FlowRunNotFoundError(id);
      }
      // Another worker holds it, or it has ended: nothing to do here.
      return current.result;
    }
    this.announce(run, null);
    const logChain: Promise<void>[] = [];
    const log = (
      message: string,
      level: FlowLogLine['level'] = 'info',
      task: string | null = null,
    ) => {
      logChain.push(
        this.store.appendLog(id, { at: Date.now(), level, task, message }).catch(() => undefined),
      );
    };
    const runAc = new AbortController();
    this.active.set(id, runAc);
    this.options.leaseKeeper?.hold(id);
    const beat = setInterval(() => {
      void this.beat(id, runAc);
    }, this.heartbeatMs);
    beat.unref();
    log(`attempt ${run.attempts} on ${this.workerId}`);
    let final: FlowRunRecord | null = null;
    try {
      final = await this.runTasks(run, runAc, log);
    } finally {
      clearInterval(beat);
      this.options.leaseKeeper?.release(id);
      this.active.delete(id);
      await Promise.all(logChain);
    }
    if (final && ended(final.state)) {
      this.options.onRunEnded?.(final);
      if (final.parentId !== null) {
        await this.resumeParentIfDone(final.parentId, final.id);
      }
      if (final.state !== 'Completed') {
        throw Object.assign(new Error(final.error?.message ?? final.state), {
          code: final.error?.code ?? final.state.toUpperCase(),
        });
      }
    }
    return final?.result ?? null;
  }

  private async beat(id: string, ac: AbortController): Promise<void> {
    try {
      if (!(await this.store.heartbeat(id, this.workerId, Date.now()))) {
        ac.abort(new LeaseLostError('lease lost: another worker took this run over'));
        return;
      }
      if ((await this.store.getRun(id))?.cancelRequested) {
        ac.abort(new CancelledError('cancelled on request'));
      }
    } catch {
      // A store hiccup skips one beat; the lease is several beats long.
    }
  }

  /** Runs the tasks not yet completed; returns the run as left (null when the lease was lost). */
  private async runTasks(
    run: FlowRunRecord,
    runAc: AbortController,
    log: (m: string, level?: FlowLogLine['level'], task?: string | null) => void,
  ): Promise<FlowRunRecord | null> {
    const finish = async (patch: Parameters<FlowStore['finishRun']>[2]) => {
      const held = await this.store.finishRun(run.id, this.workerId, patch);
      const after = await this.store.getRun(run.id);
      if (held) {
        this.announce(after, 'Running');
      }
      return after;
    };
    if (run.attempts > this.maxAttempts) {
      log(`giving up after ${run.attempts - 1} attempts`, 'error');
      return finish({
        state: 'Failed',
        error: { code: 'CRASHED', message: `ran ${run.attempts - 1} times without finishing` },
      });
    }
    const def = this.flows.get(run.flow);
    if (!def) {
      return finish({
        state: 'Failed',
        error: { code: 'FLOW_NOT_FOUND', message: `no flow "${run.flow}" in this worker` },
      });
    }
    const done = new Map((await this.store.getTaskRuns(run.id)).map((t) => [t.task, t]));
    const results: Record<string, unknown> = {};
    let last: unknown = null;
    try {
      const params = def.parse(run.parameters);
      for (const task of def.tasks) {
        const prior = done.get(task.name);
        if (prior?.state === 'Completed') {
          // Idempotent re-execution: a task that completed before a crash is not run again.
          results[task.name] = prior.result;
          last = prior.result;
          continue;
        }
        if (task.waitForChildren) {
          const children = await this.store.listRuns({ parentId: run.id, limit: 100_000 });
          const open = children.filter((c) => !ended(c.state));
          if (open.length > 0) {
            log(`waiting for ${open.length} of ${children.length} child runs`, 'info', task.name);
            if (
              await this.store.finishRun(run.id, this.workerId, {
                state: 'Scheduled',
                endedAt: null,
              })
            ) {
              this.announce(await this.store.getRun(run.id), 'Running');
            }
            // A child that ended between the look and the parking saw us still Running: look again.
            const again = await this.store.listRuns({ parentId: run.id, limit: 100_000 });
            if (again.every((c) => ended(c.state))) {
              await this.resumeParentIfDone(run.id, 'self');
            }
            return await this.store.getRun(run.id);
          }
        }
        const key = `${run.id}:${task.name}`;
        const record: TaskRunRecord = {
          flowRunId: run.id,
          task: task.name,
          state: 'Running',
          attempts: prior?.attempts ?? 0,
          idempotencyKey: key,
          result: null,
          error: null,
          startedAt: Date.now(),
          endedAt: null,
        };
        const retries = task.retries ?? 0;
        for (let attempt = 1; ; attempt++) {
          record.attempts += 1;
          record.state = 'Running';
          await this.store.saveTaskRun(record);
          const taskAc = new AbortController();
          const relay = () => {
            taskAc.abort(runAc.signal.reason);
          };
          runAc.signal.addEventListener('abort', relay, { once: true });
          const ctx: TaskContext = {
            flowRunId: run.id,
            attempt,
            idempotencyKey: key,
            signal: taskAc.signal,
            log: (m, level) => {
              log(m, level, task.name);
            },
            results: { ...results },
            startChild: (flow, p, childKey) =>
              this.start(flow, p, { parentId: run.id, idempotencyKey: `${run.id}:${childKey}` }),
            children: () => this.store.listRuns({ parentId: run.id, limit: 100_000 }),
          };
          try {
            if (runAc.signal.aborted) {
              throw runAc.signal.reason instanceof Error
                ? runAc.signal.reason
                : new CancelledError('cancelled');
            }
            const result = await guard(
              () => task.run(params, ctx),
              task.timeoutMs ?? 30 * 60_000,
              taskAc,
            );
            record.state = 'Completed';
            record.result = result ?? null;
            record.endedAt = Date.now();
            await this.store.saveTaskRun(record);
            results[task.name] = record.result;
            last = record.result;
            break;
          } catch (e) {
            if (e instanceof CancelledError || e instanceof LeaseLostError) {
              record.state = e instanceof CancelledError ? 'Cancelled' : 'Crashed';
              record.error = e.message;
              record.endedAt = Date.now();
              await this.store.saveTaskRun(record);
              throw e;
            }
            const err = errorOf(e);
            const retryable = isRetryable(e);
            if (attempt > retries || !retryable) {
              record.state = 'Failed';
              record.error = `${err.code}: ${err.message}`;
              record.endedAt = Date.now();
              await this.store.saveTaskRun(record);
              const why =
                attempt <= retries ? ` (not retried: ${err.code} does not change on a retry)` : '';
              log(`failed: ${err.message}${why}`, 'error', task.name);
              throw e;
            }
            const delay = retryDelay(attempt, task.retryDelayMs ?? 1000, 5 * 60_000, this.random);
            record.state = 'Retrying';
            record.error = `${err.code}: ${err.message}`;
            await this.store.saveTaskRun(record);
            log(
              `attempt ${attempt} failed (${err.message}); retrying in ${delay} ms`,
              'warn',
              task.name,
            );
            await sleep(delay, runAc.signal);
          } finally {
            runAc.signal.removeEventListener('abort', relay);
          }
        }
      }
      const summary = def.summarize ? def.summarize(results) : last;
      log('completed');
      return await finish({ state: 'Completed', result: summary ?? null, error: null });
    } catch (e) {
      if (e instanceof LeaseLostError) {
        log(e.message, 'warn');
        return null;
      }
      if (e instanceof CancelledError) {
        log('cancelled', 'warn');
        return finish({ state: 'Cancelled', error: errorOf(e) });
      }
      return finish({ state: 'Failed', error: errorOf(e) });
    }
  }

  /**
   * Announces a run's state as stored (flow-run.changed); `before` is the state this process saw before the
   * change, null when it did not know it. Publishing never blocks or fails the run.
   */
  private announce(run: FlowRunRecord | null, before: FlowRunState | null): void {
    if (!run || !this.options.events) {
      return;
    }
    const { idempotencyKey: _key, heartbeatAt: _beat, cancelRequested: _cancel, ...shown } = run;
    this.options.events.publish(
      makeEvent('flow-run.changed', { run: shown, previousState: before }),
    );
  }

  /** A child ended: when all its siblings have too, the parent continues (at its summary step). */
  private async resumeParentIfDone(parentId: string, by: string): Promise<void> {
    const parent = await this.store.getRun(parentId);
    if (!parent || ended(parent.state)) {
      return;
    }
    const siblings = await this.store.listRuns({ parentId, limit: 100_000 });
    if (siblings.every((c) => ended(c.state))) {
      await this.requireQueue().enqueue(
        parent.flow,
        { flowRunId: parentId },
        { jobId: `${parentId}-resume-${by}` },
      );
    }
  }
}
