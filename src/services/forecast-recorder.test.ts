import { describe, expect, it } from 'vitest';
import type { ForecastLog, ForecastServes, ServedForecast } from '../core/index.js';
import { ForecastRecorder } from './forecast-recorder.js';

const served = (over: Partial<ServedForecast> = {}): ServedForecast => ({
  ticker: '^GSPC',
  horizon: 1,
  asOf: '2020-04-17',
  targetDate: '2020-04-20',
  model: { name: '^GSPC.h1', version: 1, kind: 'ridge', runId: 'r', featureSet: 'alpha@1' },
  lastClose: 100,
  predictedReturn: 0.01,
  predictedClose: 101,
  intervals: [],
  servedAt: 1000,
  via: 'predict',
  ...over,
});

/** A log whose store can be switched off; it remembers each write. */
function fakeLog() {
  const writes: ForecastServes[][] = [];
  const state = { down: false };
  const log: ForecastLog = {
    record: (entries) => {
      if (state.down) {
        return Promise.reject(new Error('connection refused'));
      }
      writes.push(entries.map((e) => structuredClone(e)));
      return Promise.resolve();
    },
    list: () => Promise.resolve([]),
  };
  const total = () => writes.flat().reduce((s, e) => s + e.count, 0);
  return { log, writes, state, total };
}

describe('ForecastRecorder', () => {
  it('writes the serves of one forecast as one entry with their count and time span', async () => {
    const { log, writes } = fakeLog();
    const r = new ForecastRecorder(log, { flushMs: 10_000 });
    r.served(served({ servedAt: 5 }));
    r.served(served({ servedAt: 3 }));
    r.served(served({ servedAt: 9, via: 'batch' }));
    r.served(served({ horizon: 5, servedAt: 4 }));
    await r.flush();
    expect(writes).toHaveLength(1);
    expect(
      writes[0]?.map((e) => [e.forecast.horizon, e.count, e.firstServedAt, e.lastServedAt]),
    ).toEqual([
      [1, 3, 3, 9],
      [5, 1, 4, 4],
    ]);
    await r.close();
  });

  it('writes by itself after flushMs, off the request path', async () => {
    const { log, writes } = fakeLog();
    const r = new ForecastRecorder(log, { flushMs: 5 });
    r.served(served());
    expect(writes).toHaveLength(0);
    await new Promise((done) => setTimeout(done, 50));
    expect(writes).toHaveLength(1);
    await r.close();
  });

  it('keeps serves while the store is down, up to its bound, counts what it drops, and writes the rest once it is back', async () => {
    const { log, state, total } = fakeLog();
    const dropped: number[] = [];
    const problems: string[] = [];
    const r = new ForecastRecorder(log, {
      flushMs: 10_000,
      capacity: 2,
      onDropped: (n) => dropped.push(n),
      onStoreProblem: (event) => problems.push(event),
    });
    state.down = true;
    r.served(served({ asOf: '2020-04-15' }));
    r.served(served({ asOf: '2020-04-16' }));
    await r.flush();
    // Known forecasts still count; a third distinct one does not fit.
    r.served(served({ asOf: '2020-04-15' }));
    r.served(served({ asOf: '2020-04-17' }));
    await r.flush();
    expect(r.buffered()).toBe(2);
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(1);
    state.down = false;
    await r.flush();
    expect(total()).toBe(3);
    expect(problems).toEqual(['failing', 'recovered']);
    await r.close();
  });

  it('counts as dropped what it still cannot write when closed', async () => {
    const { log, state } = fakeLog();
    let dropped = 0;
    const r = new ForecastRecorder(log, { onDropped: (n) => (dropped += n) });
    state.down = true;
    r.served(served());
    r.served(served());
    await r.close(50);
    expect(dropped).toBe(2);
  });
});
