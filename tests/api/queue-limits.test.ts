// Back-pressure on flow runs (issue 12): past STOCKOPS_MAX_QUEUED_PER_FLOW queued runs a start is a 429 with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  // One run at a time, so the second and later train runs wait while the first one fits.
  h = await harness({
    env: {
      STOCKOPS_FIT_THREADS: '0',
      STOCKOPS_MAX_QUEUED_PER_FLOW: '2',
      STOCKOPS_MAX_QUEUED_RUNS: '3',
    },
  });
});
afterAll(async () => {
  await h.close();
});

const start = (flow: string, payload: object) =>
  h.app.inject({ method: 'POST', url: `/api/flows/${flow}/runs`, payload });

describe('queued flow runs are bounded', () => {
  it('refuses a start with 429 and Retry-After once a flow has too many runs waiting', async () => {
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof start>> | null = null;
    for (let i = 0; i < 8 && refused === null; i++) {
      const res = await start('train', { ticker: '^GSPC', model: 'ridge', horizon: 1 });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        refused = res;
      }
    }
    expect(refused, `statuses: ${statuses.join(', ')}`).not.toBeNull();
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(3);
    expect(refused?.headers['retry-after']).toBe('10');
    expect(refused?.json()).toMatchObject({ error: { code: 'QUEUE_FULL' } });
    // The total cap holds across flows too.
    const other = await start('evaluate', { ticker: '^GSPC', model: 'naive', horizon: 1 });
    const another = await start('evaluate', { ticker: '^GSPC', model: 'naive', horizon: 1 });
    expect([other.statusCode, another.statusCode]).toContain(429);
  });
});
