// In-process JobQueue: the embedded default. Jobs start in enqueue order, up to `concurrency` at once, in this process.
import { randomUUID } from 'node:crypto';
import {
  isStockopsError,
  JobNotFoundError,
  JobTimeoutError,
  NoHandlerError,
  ResourceClosedError,
  type EnqueueOptions,
  type JobHandler,
  type JobInfo,
  type ManagedJobQueue,
} from '../core/index.js';

export interface InProcessQueueOptions {
  /**
   * Finished jobs kept for `get()`; older ones are forgotten so memory stays bounded.
   * @defaultValue 1000
   */
  keepFinished?: number;
  /**
   * Jobs running at once. Above 1, CPU-bound work must leave the event loop (fits go to worker threads).
   * @defaultValue 1
   */
  concurrency?: number;
}

export class InProcessQueue implements ManagedJobQueue {
  private readonly jobs = new Map<string, JobInfo>();
  private readonly waiters = new Map<string, ((job: JobInfo) => void)[]>();
  private readonly pending: string[] = [];
  private readonly finished: string[] = [];
  private readonly drains = new Set<Promise<void>>();
  private closed = false;
  private readonly keepFinished: number;
  private readonly concurrency: number;

  constructor(
    private readonly handlers: ReadonlyMap<string, JobHandler>,
    options: InProcessQueueOptions = {},
  ) {
    this.keepFinished = options.keepFinished ?? 1000;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
  }

  enqueue(name: string, data: unknown, options: EnqueueOptions = {}): Promise<string> {
    if (this.closed) {
      return Promise.reject(new ResourceClosedError('Job queue', 'close() was called'));
    }
    if (!this.handlers.has(name)) {
      return Promise.reject(new NoHandlerError(name, 'in this queue', [...this.handlers.keys()]));
    }
    const id = options.jobId ?? randomUUID();
    const existing = this.jobs.get(id);
    if (existing && (existing.status === 'queued' || existing.status === 'running')) {
      return Promise.resolve(id);
    }
    if (existing) {
      this.finished.splice(this.finished.indexOf(id), 1);
    }
    this.jobs.set(id, { id, name, status: 'queued', data, createdAt: Date.now() });
    this.pending.push(id);
    this.kick();
    return Promise.resolve(id);
  }

  get(id: string): Promise<JobInfo | null> {
    const job = this.jobs.get(id);
    return Promise.resolve(job ? { ...job } : null);
  }

  wait(id: string, timeoutMs = 10 * 60_000): Promise<JobInfo> {
    const job = this.jobs.get(id);
    if (!job) {
      return Promise.reject(new JobNotFoundError(id));
    }
    if (job.status === 'completed' || job.status === 'failed') {
      return Promise.resolve({ ...job });
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new JobTimeoutError(id, timeoutMs));
      }, timeoutMs);
      const list = this.waiters.get(id) ?? [];
      list.push((j) => {
        clearTimeout(timer);
        resolve(j);
      });
      this.waiters.set(id, list);
    });
  }

  cancel(id: string): Promise<boolean> {
    const at = this.pending.indexOf(id);
    const job = this.jobs.get(id);
    if (at < 0 || !job) {
      return Promise.resolve(false);
    }
    this.pending.splice(at, 1);
    job.status = 'failed';
    job.error = { code: 'CANCELLED', message: 'cancelled before it started' };
    job.endedAt = Date.now();
    this.finish(job);
    return Promise.resolve(true);
  }

  depth(): Promise<number> {
    return Promise.resolve(this.pending.length);
  }

  workers(): Promise<number> {
    // Processes taking jobs (the metric's meaning): this one, however many jobs it runs at once.
    return Promise.resolve(this.closed ? 0 : 1);
  }

  /** Stops taking jobs and waits for the ones running, if any. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.drains]);
  }

  /** Starts drain loops up to the concurrency; each takes jobs until none is left (its first take is synchronous). */
  private kick(): void {
    while (!this.closed && this.drains.size < this.concurrency && this.pending.length > 0) {
      const loop: Promise<void> = this.drain().finally(() => {
        this.drains.delete(loop);
        // A job enqueued while this loop was ending found every loop busy: take it now.
        this.kick();
      });
      this.drains.add(loop);
    }
  }

  private async drain(): Promise<void> {
    for (let id = this.pending.shift(); id !== undefined; id = this.pending.shift()) {
      const job = this.jobs.get(id);
      const handler = job ? this.handlers.get(job.name) : undefined;
      if (!job || !handler) {
        continue;
      }
      job.status = 'running';
      job.startedAt = Date.now();
      // Yield first so the enqueuing request answers before a long synchronous job starts.
      await new Promise((r) => setImmediate(r));
      try {
        job.result = await handler(job.data, { jobId: job.id });
        job.status = 'completed';
      } catch (e) {
        job.status = 'failed';
        job.error = isStockopsError(e)
          ? { code: e.code, message: e.message }
          : { code: 'JOB_FAILED', message: e instanceof Error ? e.message : String(e) };
      }
      job.endedAt = Date.now();
      this.finish(job);
      if (this.closed) {
        break;
      }
    }
  }

  private finish(job: JobInfo): void {
    for (const w of this.waiters.get(job.id) ?? []) {
      w({ ...job });
    }
    this.waiters.delete(job.id);
    this.finished.push(job.id);
    while (this.finished.length > this.keepFinished) {
      const old = this.finished.shift();
      if (old !== undefined) {
        this.jobs.delete(old);
      }
    }
  }
}
