// In-process JobQueue: the embedded default. Jobs run one at a time in this process, in enqueue order.
import { randomUUID } from 'node:crypto';
import {
  isStockopsError,
  JobNotFoundError,
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
}

export class InProcessQueue implements ManagedJobQueue {
  private readonly jobs = new Map<string, JobInfo>();
  private readonly waiters = new Map<string, ((job: JobInfo) => void)[]>();
  private readonly pending: string[] = [];
  private readonly finished: string[] = [];
  private running = false;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();
  private readonly keepFinished: number;

  constructor(
    private readonly handlers: ReadonlyMap<string, JobHandler>,
    options: InProcessQueueOptions = {},
  ) {
    this.keepFinished = options.keepFinished ?? 1000;
  }

  enqueue(name: string, data: unknown, options: EnqueueOptions = {}): Promise<string> {
    if (this.closed) {
      return Promise.reject(new Error('Job queue is closed'));
    }
    if (!this.handlers.has(name)) {
      return Promise.reject(new Error(`No handler for job "${name}"`));
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
        reject(new Error(`Job ${id} did not finish within ${timeoutMs} ms`));
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
    return Promise.resolve(this.closed ? 0 : 1);
  }

  /** Stops taking jobs and waits for the one running, if any. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle;
  }

  private kick(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.idle = this.drain().finally(() => {
      this.running = false;
    });
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
