// Contract every EventBus adapter passes: in-process (npm test) and Kafka on a real broker (npm run test:stack).
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  makeEvent,
  type BusEvent,
  type DropReason,
  type EventBus,
  type EventChannel,
  type StockopsEvent,
} from '../../src/core/index.js';

export interface ConnectOptions {
  instanceId: string;
  maxBuffered?: number;
  onDropped?: (count: number, reason: DropReason) => void;
}

/** Opens a bus as another process would: every call is one more process on the same backend. */
export type ConnectBus = (options: ConnectOptions) => Promise<EventBus>;

const WAIT_MS = 15_000;

export const prediction = (ticker: string, horizon = 1): StockopsEvent =>
  makeEvent('prediction.served', {
    ticker,
    horizon,
    asOf: '2020-04-17',
    targetDate: '2020-04-20',
    model: {
      name: `${ticker}.h${horizon}`,
      version: 3,
      kind: 'ridge',
      runId: 'r'.repeat(32),
      featureSet: 'alpha@1',
    },
    predictedReturn: 0.0012,
    predictedClose: 2880.5,
    lastClose: 2874.56,
    intervals: [{ level: 0.8, lower: 2800, upper: 2950 }],
    servedAt: Date.now(),
    via: 'predict',
    instance: 'test',
  });

const dataLoaded = (ticker: string, newBars: number): StockopsEvent =>
  makeEvent('data.loaded', {
    ticker,
    origin: 'import',
    newBars,
    updatedBars: 0,
    lastDate: '2020-04-17',
    etlRunId: null,
    at: Date.now(),
  });

const runChanged = (runId: string, attempts: number): StockopsEvent =>
  makeEvent('flow-run.changed', {
    run: {
      id: runId,
      flow: 'train',
      state: 'Running',
      attempts,
      parameters: { ticker: 'AAPL' },
      result: null,
      error: null,
      parentId: null,
      scheduleId: null,
      worker: 'w',
      createdAt: 1,
      startedAt: 2,
      endedAt: null,
    },
    previousState: 'Queued',
  });

const metricsSample = (instance: string): StockopsEvent =>
  makeEvent('metrics.sample', {
    instance,
    role: 'server',
    pid: 1,
    at: Date.now(),
    intervalMs: 2000,
    cpuPercent: 1,
    rssBytes: 1,
    heapUsedBytes: 1,
    eventLoopDelayP99Ms: 1,
    http: [],
    predictionsPerSecond: 0,
    queueDepth: 0,
    flowRuns: [],
    events: { published: 0, dropped: 0, buffered: 0 },
    wsConnections: 0,
  });

/** Events received by one subscription, with a wait for the first `n` that match. */
function collector() {
  const events: BusEvent[] = [];
  const waiters = new Set<() => void>();
  return {
    events,
    push(e: BusEvent) {
      events.push(e);
      for (const w of waiters) {
        w();
      }
    },
    async waitFor(n: number, match: (e: BusEvent) => boolean): Promise<BusEvent[]> {
      const found = () => events.filter(match);
      if (found().length >= n) {
        return found();
      }
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`saw ${found().length} of ${n} events within ${WAIT_MS} ms`));
        }, WAIT_MS);
        const check = () => {
          if (found().length >= n) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
      });
      return found();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function eventBusContract(name: string, connect: ConnectBus): void {
  describe(`EventBus contract: ${name}`, () => {
    const open: EventBus[] = [];
    const bus = async (options: Partial<ConnectOptions> = {}) => {
      const b = await connect({ instanceId: `proc-${randomUUID().slice(0, 8)}`, ...options });
      open.push(b);
      return b;
    };
    const listen = async (b: EventBus, channels: readonly EventChannel[]) => {
      const c = collector();
      const sub = b.subscribe(channels, (e) => {
        c.push(e);
      });
      await sub.ready;
      return { ...c, sub };
    };
    // A ticker of its own per test: on a shared broker, nothing another test published can match.
    const ticker = () => `T${randomUUID().slice(0, 8).toUpperCase()}`;
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.close()));
    });

    it('delivers an event with its envelope: id, time, source, key and schema version', async () => {
      const b = await bus({ instanceId: 'replica-a' });
      const got = await listen(b, ['predictions']);
      const t = ticker();
      const sent = prediction(t);
      const before = Date.now();
      b.publish(sent);
      const [e] = await got.waitFor(1, (x) => x.key === t);
      expect(e).toMatchObject({
        type: 'prediction.served',
        schemaVersion: 1,
        source: 'replica-a',
        key: t,
        data: sent.data,
      });
      expect(e?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(e?.time).toBeGreaterThanOrEqual(before);
    });

    it('fans every event out to every process subscribed to its channel', async () => {
      const [a, b] = [await bus(), await bus()];
      const onA = await listen(a, ['predictions']);
      const onB = await listen(b, ['predictions', 'metrics']);
      const t = ticker();
      a.publish(prediction(t, 1));
      a.publish(prediction(t, 5));
      const seenA = await onA.waitFor(2, (e) => e.key === t);
      const seenB = await onB.waitFor(2, (e) => e.key === t);
      expect(seenB.map((e) => e.id).sort()).toEqual(seenA.map((e) => e.id).sort());
    });

    it('delivers only the channels a subscription names', async () => {
      const b = await bus();
      const got = await listen(b, ['metrics']);
      const t = ticker();
      b.publish(prediction(t));
      b.publish(metricsSample(t));
      await got.waitFor(1, (e) => e.key === t);
      expect(got.events.filter((e) => e.key === t).map((e) => e.type)).toEqual(['metrics.sample']);
    });

    it('keeps the order of the events of one key', async () => {
      const b = await bus();
      const got = await listen(b, ['flow-runs']);
      const runId = randomUUID();
      for (let i = 1; i <= 50; i++) {
        b.publish(runChanged(runId, i));
      }
      const seen = await got.waitFor(50, (e) => e.key === runId);
      expect(seen.map((e) => (e.type === 'flow-run.changed' ? e.data.run.attempts : -1))).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
    });

    it('stops delivering to a closed subscription, and a throwing subscriber never stops the others', async () => {
      const b = await bus();
      const closed = await listen(b, ['data']);
      const thrower = b.subscribe(['data'], () => {
        throw new Error('subscriber bug');
      });
      await thrower.ready;
      const kept = await listen(b, ['data']);
      await closed.sub.close();
      const t = ticker();
      b.publish(dataLoaded(t, 3));
      await kept.waitFor(1, (e) => e.key === t);
      const other = ticker();
      b.publish(dataLoaded(other, 1));
      await kept.waitFor(1, (e) => e.key === other);
      expect(closed.events.filter((e) => e.key === t || e.key === other)).toEqual([]);
    });

    it('gives each event of a shared group to one member, whichever process it lives in', async () => {
      const [a, b] = [await bus(), await bus()];
      const group = `contract-${randomUUID().slice(0, 8)}`;
      const handled: { by: string; event: BusEvent }[] = [];
      const member = (m: EventBus, by: string) =>
        m.subscribeShared(group, ['data'], (event) => {
          handled.push({ by, event });
          return Promise.resolve();
        });
      const subs = [member(a, 'a'), member(b, 'b')];
      await Promise.all(subs.map((s) => s.ready));
      const t = ticker();
      for (let i = 0; i < 20; i++) {
        a.publish(dataLoaded(t, i));
      }
      const deadline = Date.now() + WAIT_MS;
      const mine = () => handled.filter((h) => h.event.key === t);
      while (mine().length < 20 && Date.now() < deadline) {
        await sleep(50);
      }
      // Give a duplicate, if any, the time to show.
      await sleep(500);
      const ids = mine().map((h) => h.event.id);
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
    });

    it('retries a failing shared handler, then skips its event and goes on with the next', async () => {
      const b = await bus();
      const group = `contract-${randomUUID().slice(0, 8)}`;
      const attempts = new Map<number, number>();
      const t = ticker();
      const sub = b.subscribeShared(group, ['data'], (event) => {
        if (event.type !== 'data.loaded' || event.key !== t) {
          return Promise.resolve();
        }
        const n = event.data.newBars;
        attempts.set(n, (attempts.get(n) ?? 0) + 1);
        return n === 1 ? Promise.reject(new Error('poison')) : Promise.resolve();
      });
      await sub.ready;
      b.publish(dataLoaded(t, 1));
      b.publish(dataLoaded(t, 2));
      const deadline = Date.now() + WAIT_MS;
      while (!attempts.has(2) && Date.now() < deadline) {
        await sleep(50);
      }
      expect(attempts.get(1)).toBe(3);
      expect(attempts.get(2)).toBe(1);
    });

    it('never throws from publish: past its bound the buffer drops events and counts them', async () => {
      const drops: DropReason[] = [];
      const b = await bus({
        maxBuffered: 5,
        onDropped: (n, reason) => {
          for (let i = 0; i < n; i++) {
            drops.push(reason);
          }
        },
      });
      const t = ticker();
      for (let i = 0; i < 25; i++) {
        b.publish(dataLoaded(t, i));
      }
      expect(b.stats().dropped).toBeGreaterThanOrEqual(20);
      expect(drops.filter((r) => r === 'buffer-full').length).toBe(b.stats().dropped);
      await b.flush();
      const stats = b.stats();
      expect(stats.buffered).toBe(0);
      expect(stats.published + stats.dropped).toBe(25);
    });

    it('counts an event published after close as dropped, never throws', async () => {
      const drops: DropReason[] = [];
      const b = await connect({
        instanceId: 'closing',
        onDropped: (_n, reason) => drops.push(reason),
      });
      b.publish(dataLoaded(ticker(), 1));
      await b.close();
      expect(b.stats().published).toBe(1);
      expect(() => {
        b.publish(dataLoaded(ticker(), 2));
      }).not.toThrow();
      expect(drops).toEqual(['closed']);
    });
  });
}
