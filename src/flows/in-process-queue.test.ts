import { describe, expect, it } from 'vitest';
import { InProcessQueue } from './in-process-queue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InProcessQueue', () => {
  it('runs up to `concurrency` jobs at once and starts the rest in enqueue order as slots free', async () => {
    const gates = new Map<string, () => void>();
    const started: string[] = [];
    const q = new InProcessQueue(
      new Map([
        [
          'hold',
          async (data: unknown) => {
            const name = String(data);
            started.push(name);
            await new Promise<void>((r) => gates.set(name, r));
            return name;
          },
        ],
      ]),
      { concurrency: 2 },
    );
    const ids = await Promise.all(['a', 'b', 'c'].map((n) => q.enqueue('hold', n)));
    await sleep(50);
    expect(started).toEqual(['a', 'b']);
    expect(await q.depth()).toBe(1);
    gates.get('b')?.();
    await sleep(50);
    expect(started).toEqual(['a', 'b', 'c']);
    gates.get('a')?.();
    gates.get('c')?.();
    const jobs = await Promise.all(ids.map((id) => q.wait(id, 5_000)));
    expect(jobs.map((j) => [j.status, j.result])).toEqual([
      ['completed', 'a'],
      ['completed', 'b'],
      ['completed', 'c'],
    ]);
    await q.close();
  });
});
