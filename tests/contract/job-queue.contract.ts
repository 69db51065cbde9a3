// Contract every JobQueue runner passes: in-process (npm test) and BullMQ on real Redis (npm run test:stack).
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError, type JobHandler, type ManagedJobQueue } from '../../src/core/index.js';

/** Builds a runner that runs jobs one at a time with these handlers. */
export type MakeQueue = (handlers: ReadonlyMap<string, JobHandler>) => Promise<ManagedJobQueue>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function jobQueueContract(name: string, make: MakeQueue): void {
  describe(`JobQueue contract: ${name}`, () => {
    const open: ManagedJobQueue[] = [];
    const queue = async (handlers: Record<string, JobHandler>) => {
      const q = await make(new Map(Object.entries(handlers)));
      open.push(q);
      return q;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((q) => q.close()));
    });

    it('runs a job and reports it completed with its result and times', async () => {
      const q = await queue({ add: (d) => Promise.resolve((d as { a: number }).a + 1) });
      const id = await q.enqueue('add', { a: 41 });
      const job = await q.wait(id, 30_000);
      expect(job).toMatchObject({ id, name: 'add', status: 'completed', result: 42 });
      expect(job.endedAt).toBeGreaterThanOrEqual(job.createdAt);
    });

    it('never reads a job as completed without its result, even while it finishes', async () => {
      const q = await queue({ add: (d) => Promise.resolve((d as { a: number }).a + 1) });
      const ids = await Promise.all(Array.from({ length: 40 }, (_, a) => q.enqueue('add', { a })));
      const seen: unknown[] = [];
      // Reads race the worker finishing each job; every read that says completed carries the result.
      const poll = async (id: string, a: number) => {
        for (;;) {
          const job = await q.get(id);
          if (job?.status === 'completed') {
            seen.push(job.result);
            expect(job.result).toBe(a + 1);
            return;
          }
          expect(job?.status).not.toBe('failed');
          // An in-process runner answers from memory: let its worker have a turn of the event loop.
          await new Promise((r) => setImmediate(r));
        }
      };
      await Promise.all(ids.flatMap((id, a) => [poll(id, a), poll(id, a), poll(id, a)]));
      expect(seen).toHaveLength(120);
    });

    it('reports a failing job as failed with its stable error code', async () => {
      const q = await queue({
        bad: () => Promise.reject(new InvalidInputError('ticker', 'expected a symbol')),
      });
      const job = await q.wait(await q.enqueue('bad', {}), 30_000);
      expect(job.status).toBe('failed');
      expect(job.error).toMatchObject({
        code: 'INVALID_INPUT',
        message: 'ticker: expected a symbol',
      });
    });

    it('refuses a job name without a handler, and knows nothing of unknown ids', async () => {
      const q = await queue({ ok: () => Promise.resolve(null) });
      await expect(q.enqueue('nope', {})).rejects.toThrow(/No handler for job "nope"/);
      await expect(q.enqueue('nope', {})).rejects.toMatchObject({ code: 'NO_HANDLER' });
      expect(await q.get('never-enqueued')).toBeNull();
    });

    it('adds a job with a stable id once, however often it is enqueued', async () => {
      let runs = 0;
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      const q = await queue({
        once: async () => {
          runs++;
          await gate;
          return runs;
        },
      });
      const a = await q.enqueue('once', {}, { jobId: 'stable-1' });
      const b = await q.enqueue('once', {}, { jobId: 'stable-1' });
      expect(b).toBe(a);
      release();
      await q.wait(a, 30_000);
      await sleep(200);
      expect(runs).toBe(1);
    });

    it('cancels a job that has not started, reports the backlog and its workers', async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      const ran: string[] = [];
      const q = await queue({
        block: async () => {
          ran.push('block');
          await gate;
        },
        later: () => {
          ran.push('later');
          return Promise.resolve(null);
        },
      });
      const blocker = await q.enqueue('block', {});
      for (let i = 0; i < 100 && (await q.get(blocker))?.status !== 'running'; i++) {
        await sleep(50);
      }
      const later = await q.enqueue('later', {});
      expect(await q.depth()).toBe(1);
      expect(await q.workers()).toBeGreaterThanOrEqual(1);
      expect(await q.cancel(later)).toBe(true);
      expect(await q.cancel(blocker)).toBe(false);
      release();
      expect((await q.wait(blocker, 30_000)).status).toBe('completed');
      await sleep(300);
      expect(ran).toEqual(['block']);
      expect(await q.depth()).toBe(0);
    });

    it('lets the running job finish when closed (graceful shutdown)', async () => {
      let finished = false;
      const q = await queue({
        slow: async () => {
          await sleep(500);
          finished = true;
        },
      });
      const id = await q.enqueue('slow', {});
      for (let i = 0; i < 100 && (await q.get(id))?.status !== 'running'; i++) {
        await sleep(25);
      }
      await q.close();
      expect(finished).toBe(true);
    });
  });
}
