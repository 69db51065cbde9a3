// The live channels through app.injectWS() on the real app (embedded PGlite in memory, in-process bus, bundled
// S&P 500 sample): what each channel streams, filters, limits and close codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from '@fastify/websocket';
import {
  WS_CLOSE_CODES,
  type LiveEventOf,
  type LiveMessage,
  type LiveReady,
} from '../../src/api/index.js';
import { makeEvent } from '../../src/core/index.js';
import { harness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
});

interface Live {
  ws: WebSocket;
  messages: LiveMessage[];
  next<T extends LiveMessage>(match: (m: LiveMessage) => m is T, what: string): Promise<T>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a channel with its message listener in place before the server's first frame. */
async function connect(path: string, options: { app?: Harness['app'] } = {}): Promise<Live> {
  const messages: LiveMessage[] = [];
  const waiters = new Set<() => void>();
  let resolveClosed: (c: { code: number; reason: string }) => void = () => undefined;
  const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
  const app = options.app ?? h.app;
  // injectWS, unlike inject, does not wait for the app's plugins itself.
  await app.ready();
  const ws = await app.injectWS(
    path,
    {},
    {
      onInit: (socket) => {
        socket.on('message', (data: Buffer) => {
          messages.push(JSON.parse(data.toString()) as LiveMessage);
          for (const w of waiters) {
            w();
          }
        });
        socket.on('close', (code: number, reason: Buffer) => {
          resolveClosed({ code, reason: reason.toString() });
        });
      },
    },
  );
  return {
    // @fastify/websocket types injectWS's answer as the ws module rather than a socket.
    ws: ws as unknown as WebSocket,
    messages,
    closed,
    next: <T extends LiveMessage>(match: (m: LiveMessage) => m is T, what: string) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no ${what} within 10 s; got ${JSON.stringify(messages.map((m) => m.type))}`),
          );
        }, 10_000);
        const check = () => {
          const found = messages.find(match);
          if (found) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(found);
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

const isReady = (m: LiveMessage): m is LiveReady => m.type === 'ready';
const served =
  (ticker: string, horizon: number) =>
  (m: LiveMessage): m is LiveEventOf<'prediction.served'> =>
    m.type === 'prediction.served' && m.data.ticker === ticker && m.data.horizon === horizon;

describe('/ws/predictions', () => {
  it('says what it is subscribed to, then streams each served forecast with the forecast-log fields', async () => {
    const live = await connect('/ws/predictions');
    const ready = await live.next(isReady, 'ready message');
    expect(ready).toMatchObject({ channel: 'predictions', bus: 'in-process', filter: {} });
    const res = await h.app.inject({ method: 'GET', url: '/api/predict?ticker=^GSPC&horizon=1' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ predictedClose: number; modelVersion: number }>();
    const event = await live.next(served('^GSPC', 1), 'prediction.served');
    expect(event).toMatchObject({
      schemaVersion: 1,
      key: '^GSPC',
      source: h.rt.config.instanceId,
      data: {
        asOf: '2020-04-17',
        predictedClose: body.predictedClose,
        model: { version: body.modelVersion, featureSet: expect.any(String) as string },
        via: 'predict',
        instance: h.rt.config.instanceId,
      },
    });
    live.ws.close();
  });

  it('announces each champion of a forecast path once, and keeps to the ticker asked for', async () => {
    const other = await connect('/ws/predictions?ticker=AAPL');
    const mine = await connect('/ws/predictions?ticker=%5egspc');
    expect((await mine.next(isReady, 'ready')).filter).toEqual({ ticker: '^GSPC' });
    await other.next(isReady, 'ready');
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/forecast?ticker=^GSPC&days=5' })).statusCode,
    ).toBe(200);
    const event = await mine.next(
      (m): m is LiveEventOf<'prediction.served'> =>
        m.type === 'prediction.served' && m.data.via === 'forecast',
      'forecast event',
    );
    expect(event.data.ticker).toBe('^GSPC');
    expect(other.messages.filter((m) => m.type !== 'ready')).toEqual([]);
    other.ws.close();
    mine.ws.close();
  });

  it('refuses a malformed filter before the upgrade, with the error envelope', async () => {
    await h.app.ready();
    await expect(h.app.injectWS('/ws/predictions?ticker=%00')).rejects.toThrow(/400/);
    await expect(h.app.injectWS('/ws/predictions?colour=red')).rejects.toThrow(/400/);
  });
});

describe('/ws/flow-runs', () => {
  it('streams every state change of a flow run, as GET /api/flow-runs/{id} shows the run', async () => {
    const live = await connect('/ws/flow-runs?ticker=^GSPC');
    await live.next(isReady, 'ready');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/train',
      payload: { ticker: '^GSPC', model: 'naive', horizon: 20 },
    });
    const { jobId } = res.json<{ jobId: string }>();
    const changed = (state: string) => (m: LiveMessage) =>
      m.type === 'flow-run.changed' && m.data.run.id === jobId && m.data.run.state === state;
    await live.next((m): m is LiveMessage => changed('Queued')(m), 'Queued');
    await live.next((m): m is LiveMessage => changed('Running')(m), 'Running');
    const done = await live.next(
      (m): m is LiveEventOf<'flow-run.changed'> => changed('Completed')(m),
      'Completed',
    );
    expect(done.data).toMatchObject({ previousState: 'Running', run: { flow: 'train' } });
    const shown = (await h.app.inject({ method: 'GET', url: `/api/flow-runs/${jobId}` })).json<{
      state: string;
      endedAt: number;
    }>();
    expect(shown).toMatchObject({ state: 'Completed', endedAt: done.data.run.endedAt });
    live.ws.close();
  });
});

describe('/ws/metrics', () => {
  it('sends the recent samples of every process first, then each new one', async () => {
    const sample = (instance: string) =>
      makeEvent('metrics.sample', {
        instance,
        role: 'worker',
        pid: 7,
        at: Date.now(),
        intervalMs: 2000,
        cpuPercent: 12.5,
        rssBytes: 1e8,
        heapUsedBytes: 5e7,
        eventLoopDelayP99Ms: 11,
        http: [],
        predictionsPerSecond: 0,
        queueDepth: 0,
        flowRuns: [{ state: 'Completed', count: 3 }],
        events: { published: 1, dropped: 0, buffered: 0 },
        wsConnections: 0,
      });
    h.rt.events.publish(sample('worker-1'));
    await h.rt.events.flush();
    const live = await connect('/ws/metrics');
    const isSample = (m: LiveMessage): m is LiveEventOf<'metrics.sample'> =>
      m.type === 'metrics.sample' && m.data.instance === 'worker-1';
    expect((await live.next(isSample, 'backlog sample')).data.cpuPercent).toBe(12.5);
    const own = await live.next(
      (m): m is LiveEventOf<'metrics.sample'> =>
        m.type === 'metrics.sample' && m.data.instance === h.rt.config.instanceId,
      "this process's own sample",
    );
    expect(own.data).toMatchObject({ role: 'server', pid: process.pid });
    live.ws.close();
  });
});

describe('limits', () => {
  // One app with small limits and an API key on writes, for all three.
  let limited: Harness;
  beforeAll(async () => {
    limited = await harness({
      apiKey: 's3cret',
      bootstrap: false,
      env: { STOCKOPS_WS_MAX_CONNECTIONS: '2', STOCKOPS_WS_MAX_BUFFERED_BYTES: '4096' },
    });
  });
  afterAll(async () => {
    await limited.close();
  });

  /** Cuts the clients off and waits until the server has let them go. */
  async function drop(clients: Live[]): Promise<void> {
    for (const c of clients) {
      c.ws.terminate();
    }
    for (let i = 0; i < 200; i++) {
      const text = (await limited.app.inject({ method: 'GET', url: '/metrics' })).body;
      const open = [...text.matchAll(/^stockops_ws_connections\{[^}]*\} (\d+)$/gm)];
      if (open.every((m) => m[1] === '0')) {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the server kept connections the clients had cut');
  }

  it('closes a connection past the limit with 1013 (try again later)', async () => {
    const open = [
      await connect('/ws/alerts', { app: limited.app }),
      await connect('/ws/metrics', { app: limited.app }),
    ];
    await Promise.all(open.map((l) => l.next(isReady, 'ready')));
    const refused = await connect('/ws/alerts', { app: limited.app });
    expect(await refused.closed).toEqual({
      code: WS_CLOSE_CODES.tryAgainLater,
      reason: 'connection limit of 2 reached; retry later',
    });
    expect(refused.messages).toEqual([]);
    await drop(open);
  });

  it('lets anyone read the channels when an API key guards the writes', async () => {
    const live = await connect('/ws/flow-runs', { app: limited.app });
    expect((await live.next(isReady, 'ready')).channel).toBe('flow-runs');
    await drop([live]);
  });

  it('closes a client that stops reading with 4008 once its bound of bytes waits, and holds no more', async () => {
    const live = await connect('/ws/predictions', { app: limited.app });
    await live.next(isReady, 'ready');
    live.ws.pause();
    // 200 predictions are far more than the 4 KiB bound.
    for (let i = 0; i < 200; i++) {
      limited.rt.events.publish(
        makeEvent('prediction.served', {
          ticker: `T${i}`,
          horizon: 1,
          asOf: '2020-04-17',
          targetDate: '2020-04-20',
          model: { name: 'x', version: 1, kind: 'naive', runId: 'r', featureSet: 'alpha@1' },
          predictedReturn: 0,
          predictedClose: 1,
          lastClose: 1,
          intervals: [],
          servedAt: 0,
          via: 'predict',
          instance: 'i',
        }),
      );
    }
    await limited.rt.events.flush();
    const metrics = (await limited.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/stockops_ws_closed_total\{reason="slow-consumer"\} 1/);
    const buffered = Number(/stockops_ws_buffered_bytes (\d+)/.exec(metrics)?.[1]);
    expect(buffered).toBeLessThanOrEqual(4096 + 1024);
    live.ws.resume();
    expect((await live.closed).code).toBe(WS_CLOSE_CODES.slowConsumer);
  });
});
