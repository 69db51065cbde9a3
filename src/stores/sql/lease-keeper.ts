// LeaseKeeper on a worker thread with its own PostgreSQL connection (stack mode); see lease-thread.ts.
import { Worker } from 'node:worker_threads';
import type { LeaseKeeper } from '../../core/index.js';

export class ThreadLeaseKeeper implements LeaseKeeper {
  private readonly worker: Worker;

  constructor(databaseUrl: string, workerId: string, everyMs: number) {
    this.worker = new Worker(new URL('./lease-thread.js', import.meta.url), {
      workerData: { databaseUrl, workerId, everyMs },
    });
    this.worker.unref();
    this.worker.on('error', () => undefined);
  }

  hold(flowRunId: string): void {
    this.worker.postMessage({ op: 'hold', id: flowRunId });
  }

  release(flowRunId: string): void {
    this.worker.postMessage({ op: 'release', id: flowRunId });
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((r) => {
      this.worker.once('exit', () => {
        r();
      });
    });
    this.worker.postMessage({ op: 'close' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
    await this.worker.terminate();
  }
}
