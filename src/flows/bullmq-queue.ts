// BullMQ JobQueue on Redis: any number of `stockops worker` processes share one queue; schedules are
// BullMQ job schedulers upserted under stable ids, so API replicas and restarts never duplicate them.
import { Queue, Worker, type Job, type KeepJobs } from 'bullmq';
import { Redis } from 'ioredis';
import {
  isStockopsError,
  JobTimeoutError,
  NoHandlerError,
  ResourceClosedError,
  type EnqueueOptions,
  type JobHandler,
  type JobInfo,
  type JobStatus,
  type ManagedJobQueue,
  type ScheduleRecord,
} from '../core/index.js';
import type { ScheduleDriver } from './flow-engine.js';

export interface BullmqQueueOptions {
  /** redis://host:port[/db] */
  url: string;
  /** @defaultValue 'stockops' */
  queueName?: string;
  /** Redis key prefix, so several deployments (or test runs) can share one Redis. @defaultValue 'stockops' */
  prefix?: string;
  /** Take jobs in this process (a worker); the API alone only produces. @defaultValue false */
  work?: boolean;
  /** Flow runs a BullMQ worker runs at once. @defaultValue 1 */
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal (renewed every half of it, on the event loop). Long enough
   * that a CPU-bound training does not lose it; a SIGKILLed worker's run is retried sooner through its lease
   * (FlowEngine.reap), and BullMQ's own stall re-delivery then finds the run taken. @defaultValue 120_000
   */
  lockDurationMs?: number;
  /** @defaultValue 30_000 */
  stalledIntervalMs?: number;
  /** Finished jobs kept in Redis; older ones are trimmed. @defaultValue { age: 86400, count: 1000 } */
  keepCompleted?: KeepJobs;
  /** @defaultValue { age: 604800, count: 5000 } */
  keepFailed?: KeepJobs;
}

const STATUS: Readonly<Record<string, JobStatus>> = {
  completed: 'completed',
  failed: 'failed',
  active: 'running',
};

/** Error codes travel inside BullMQ's failedReason as a "[CODE] message" prefix. */
const encodeError = (e: unknown): Error => {
  const raw = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  const code = isStockopsError(e) ? e.code : typeof raw === 'string' ? raw : 'JOB_FAILED';
  return new Error(`[${code}] ${e instanceof Error ? e.message : String(e)}`);
};

const decodeError = (reason: string): { code: string; message: string } => {
  const m = /^\[([A-Z_]+)\] ([\s\S]*)$/.exec(reason);
  return m
    ? { code: m[1] ?? 'JOB_FAILED', message: m[2] ?? '' }
    : { code: 'JOB_FAILED', message: reason };
};

export class BullmqQueue implements ManagedJobQueue {
  private readonly queue: Queue;
  private readonly worker: Worker | null = null;
  private readonly connection: Redis;
  private readonly keepCompleted: KeepJobs;
  private readonly keepFailed: KeepJobs;
  private closed = false;

  constructor(
    private readonly handlers: ReadonlyMap<string, JobHandler>,
    options: BullmqQueueOptions,
  ) {
    // BullMQ needs maxRetriesPerRequest null so blocking commands survive reconnects.
    this.connection = new Redis(options.url, { maxRetriesPerRequest: null });
    const name = options.queueName ?? 'stockops';
    const prefix = options.prefix ?? 'stockops';
    this.keepCompleted = options.keepCompleted ?? { age: 24 * 3600, count: 1000 };
    this.keepFailed = options.keepFailed ?? { age: 7 * 24 * 3600, count: 5000 };
    this.queue = new Queue(name, { connection: this.connection, prefix });
    if (options.work === true) {
      this.worker = new Worker(
        name,
        async (job: Job) => {
          const handler = this.handlers.get(job.name);
          if (!handler) {
            throw encodeError(
              new NoHandlerError(job.name, 'in this worker', [...this.handlers.keys()]),
            );
          }
          try {
            return await handler(job.data, { jobId: job.id ?? '' });
          } catch (e) {
            throw encodeError(e);
          }
        },
        {
          connection: this.connection.duplicate({ maxRetriesPerRequest: null }),
          prefix,
          concurrency: options.concurrency ?? 1,
          lockDuration: options.lockDurationMs ?? 120_000,
          stalledInterval: options.stalledIntervalMs ?? 30_000,
          // A stalled job (its worker died) goes back to the queue this many times before it fails.
          maxStalledCount: 2,
          removeOnComplete: this.keepCompleted,
          removeOnFail: this.keepFailed,
        },
      );
      // Errors of the worker's own connection are retried by ioredis; do not crash the process on them.
      this.worker.on('error', () => undefined);
    }
  }

  /** Resolves once Redis answers (and the worker, if any, is connected). */
  async ready(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.worker?.waitUntilReady();
  }

  async enqueue(name: string, data: unknown, options: EnqueueOptions = {}): Promise<string> {
    if (this.closed) {
      throw new ResourceClosedError('Job queue', 'close() was called');
    }
    if (!this.handlers.has(name)) {
      throw new NoHandlerError(name, 'in this queue', [...this.handlers.keys()]);
    }
    const job = await this.queue.add(name, data, {
      ...(options.jobId !== undefined ? { jobId: options.jobId } : {}),
      // Retries belong to tasks (backoff, jitter) and crashes to leases; BullMQ itself runs a job once.
      attempts: 1,
      removeOnComplete: this.keepCompleted,
      removeOnFail: this.keepFailed,
    });
    return job.id ?? options.jobId ?? '';
  }

  async get(id: string): Promise<JobInfo | null> {
    // State first, then the hash: a job finishing between two reads the other way round reads
    // as completed with the result it had before it finished (null).
    const state = await this.queue.getJobState(id);
    const job = state === 'unknown' ? undefined : await this.queue.getJob(id);
    if (!job) {
      return null;
    }
    const status = STATUS[state] ?? 'queued';
    return {
      id,
      name: job.name,
      status,
      data: job.data as unknown,
      ...(status === 'completed' ? { result: job.returnvalue as unknown } : {}),
      ...(status === 'failed' ? { error: decodeError(job.failedReason) } : {}),
      createdAt: job.timestamp,
      ...(job.processedOn !== undefined ? { startedAt: job.processedOn } : {}),
      ...(job.finishedOn !== undefined ? { endedAt: job.finishedOn } : {}),
    };
  }

  async wait(id: string, timeoutMs = 10 * 60_000): Promise<JobInfo> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.get(id);
      if (job && (job.status === 'completed' || job.status === 'failed')) {
        return job;
      }
      if (Date.now() > deadline) {
        throw new JobTimeoutError(id, timeoutMs);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async cancel(id: string): Promise<boolean> {
    const job = await this.queue.getJob(id);
    if (!job) {
      return false;
    }
    const state = await job.getState();
    if (!['waiting', 'delayed', 'prioritized', 'wait'].includes(state)) {
      return false;
    }
    try {
      await job.remove();
      return true;
    } catch {
      // A worker took it in between: the run's cancel flag stops it at the next heartbeat.
      return false;
    }
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'delayed', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  workers(): Promise<number> {
    return this.queue.getWorkersCount();
  }

  /** Schedules as BullMQ job schedulers: upsert by id when enabled, removal when disabled. */
  scheduler(): ScheduleDriver {
    return {
      sync: async (s: ScheduleRecord) => {
        if (s.enabled) {
          await this.queue.upsertJobScheduler(
            s.id,
            { pattern: s.cron, tz: s.timezone },
            {
              name: s.flow,
              data: { scheduleId: s.id },
              opts: {
                attempts: 1,
                removeOnComplete: this.keepCompleted,
                removeOnFail: this.keepFailed,
              },
            },
          );
        } else {
          await this.queue.removeJobScheduler(s.id);
        }
      },
      close: () => Promise.resolve(),
    };
  }

  /** Graceful: the worker finishes its active jobs (SIGTERM path), then connections close. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await this.worker?.close();
    await this.queue.close();
    this.connection.disconnect();
  }

  /** Removes every key of this queue (tests only). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }
}
