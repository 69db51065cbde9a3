// The JobQueue port: named background jobs run by an in-process or a BullMQ runner.

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
