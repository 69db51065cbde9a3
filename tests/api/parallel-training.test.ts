// retrain-all on the embedded in-process runner with two fit threads (app.inject(), PGlite in memory, bundled sample).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({ horizons: [1], env: { STOCKOPS_FIT_THREADS: '2' } });
});
afterAll(async () => {
  await h.close();
});

interface Run {
  id: string;
  state: string;
  startedAt: number | null;
  endedAt: number | null;
  result: Record<string, unknown> | null;
}

const get = async <T>(url: string) => (await h.app.inject({ method: 'GET', url })).json<T>();

describe('retrain-all in one process', () => {
  it('trains its children side by side, one per fit thread, while the server keeps answering', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/flows/retrain-all/runs',
      payload: { tickers: ['^GSPC'], models: ['ridge'], horizons: [1, 5] },
    });
    const id = res.json<{ id: string }>().id;
    // Answers seen while both children were fitting: with fits on this thread, no request could be
    // answered until a fit had ended, so none would ever see two Running at once.
    let answeredWhileBothRan = 0;
    let run: Run;
    for (;;) {
      run = await get<Run>(`/api/flow-runs/${id}`);
      const children = await get<Run[]>(`/api/flow-runs?parent=${id}`);
      if (children.length === 2 && children.every((c) => c.state === 'Running')) {
        answeredWhileBothRan++;
      }
      if (['Completed', 'Failed', 'Cancelled'].includes(run.state)) {
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(run.result).toMatchObject({ runs: 2, completed: 2, failed: 0 });
    const [a, b] = await get<Run[]>(`/api/flow-runs?parent=${id}`);
    // Both fits were under way at once: each started before the other ended.
    expect(a?.startedAt ?? Infinity).toBeLessThan(b?.endedAt ?? 0);
    expect(b?.startedAt ?? Infinity).toBeLessThan(a?.endedAt ?? 0);
    // The fits ran on worker threads: the server answered while both were under way.
    expect(answeredWhileBothRan).toBeGreaterThan(0);
  });
});
