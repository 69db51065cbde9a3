// The event stream across real processes: two `stockops start` replicas on one real PostgreSQL
// (scripts/services/postgres.sh) and the real Kafka broker (scripts/services/kafka.sh); a third replica on a broker
// of its own (kafka.sh with KAFKA_SERVICE_DIR) that the test stops and restarts. Real WebSocket clients (ws).
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LiveMessage } from '../../src/api/index.js';
import { importCsv } from '../../src/services/index.js';
import { bundledSample, openStores } from '../../src/stores/index.js';
import { createPostgresDatabase } from './data-env.js';
import { api, startProcess, until, type Proc } from './jobs-env.js';
import { privateBroker, requireKafka } from './kafka-env.js';

/** Bytes a WebSocket client may have waiting on the replicas under test. */
const WS_BOUND = 262_144;

const procs: Proc[] = [];
const drops: (() => Promise<void>)[] = [];
let shared: Record<string, string> = {};

/** One process's settings on the shared database and artifacts; REDIS_URL off: flows run in process. */
function replicaEnv(name: string, brokers: string[], topicPrefix: string): Record<string, string> {
  return {
    ...shared,
    STOCKOPS_HOME: mkdtempSync(join(tmpdir(), `stockops-${name}-`)),
    STOCKOPS_INSTANCE: name,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    STOCKOPS_WS_MAX_BUFFERED_BYTES: String(WS_BOUND),
    STOCKOPS_BOOTSTRAP: 'false',
    STOCKOPS_SCHEDULES: 'false',
    STOCKOPS_FIT_THREADS: '1',
    REDIS_URL: '',
    PORT: '0',
  };
}

async function startReplica(env: Record<string, string>): Promise<{ proc: Proc; base: string }> {
  const proc = await startProcess(['start'], env, /listening on (http:\/\/\S+)/);
  procs.push(proc);
  return { proc, base: proc.match[1] ?? '' };
}

/** A WebSocket client that keeps every message, with waits for the first that matches. */
async function live(url: string) {
  const ws = new WebSocket(url);
  const messages: LiveMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString()) as LiveMessage);
    for (const w of waiters) {
      w();
    }
  });
  const closed = new Promise<number>((resolve) => {
    ws.once('close', (code: number) => {
      resolve(code);
    });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve();
    });
    ws.once('error', reject);
  });
  const waitFor = (match: (m: LiveMessage) => boolean, ms: number): Promise<LiveMessage | null> =>
    new Promise((resolve) => {
      const check = () => {
        const found = messages.find(match);
        if (found) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        resolve(null);
      }, ms);
      waiters.add(check);
      check();
    });
  return { ws, messages, closed, waitFor };
}

const predict = (base: string) => fetch(`${base}/api/predict?ticker=%5EGSPC&horizon=1`);

/** Sums a counter's series over its labels in a Prometheus text page. */
function counter(text: string, name: string): number {
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce(
    (n, m) => n + Number(m[1]),
    0,
  );
}

const metricsOf = async (base: string) => (await fetch(`${base}/metrics`)).text();

const isServed = (after: number) => (m: LiveMessage) =>
  m.type === 'prediction.served' && m.data.ticker === '^GSPC' && m.data.servedAt >= after;

beforeAll(async () => {
  const db = await createPostgresDatabase();
  drops.push(db.drop);
  const artifacts = `file://${mkdtempSync(join(tmpdir(), 'stockops-events-art-'))}`;
  shared = { DATABASE_URL: db.url, ARTIFACTS_URL: artifacts };
  const stores = await openStores({ databaseUrl: db.url, artifactsUrl: artifacts });
  try {
    await importCsv(stores, {
      ticker: bundledSample.symbol,
      bytes: await bundledSample.read(),
      source: bundledSample.source,
    });
  } finally {
    await stores.close();
  }
}, 300_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  for (const drop of drops) {
    await drop().catch(() => undefined);
  }
});

/** Trains naive champions for the horizons through `base`, one flow run each. */
async function trainChampions(base: string, horizons: number[]): Promise<void> {
  for (const horizon of horizons) {
    const { jobId } = await api<{ jobId: string }>(base, 'POST', '/api/train', {
      ticker: '^GSPC',
      model: 'naive',
      horizon,
    });
    const job = await until(
      `training h${horizon}`,
      async () => {
        const j = await api<{ status: string; error?: unknown }>(base, 'GET', `/api/jobs/${jobId}`);
        return j.status === 'completed' || j.status === 'failed' ? j : null;
      },
      240_000,
    );
    expect(job).toMatchObject({ status: 'completed' });
  }
}

describe('two replicas on Kafka', () => {
  let a = '';
  let b = '';
  beforeAll(async () => {
    const brokers = await requireKafka();
    const prefix = `stockops-test-${randomUUID().slice(0, 8)}`;
    [{ base: a }, { base: b }] = [
      await startReplica(replicaEnv('replica-a', brokers, prefix)),
      await startReplica(replicaEnv('replica-b', brokers, prefix)),
    ];
    await trainChampions(a, [1, 5, 20]);
  }, 600_000);

  it('delivers a forecast served by replica A to a WebSocket client of replica B within 1 s', async () => {
    const client = await live(`${b.replace(/^http/, 'ws')}/ws/predictions?ticker=%5EGSPC`);
    expect(await client.waitFor((m) => m.type === 'ready', 5_000)).toMatchObject({
      instance: 'replica-b',
      bus: 'kafka',
    });
    // B's consumer joins its group in the background: served until one arrives, then the bound is measured.
    await until(
      'replica B to stream what replica A serves',
      async () => {
        const t = Date.now();
        expect((await predict(a)).status).toBe(200);
        return (await client.waitFor(isServed(t), 1_000)) ? true : null;
      },
      60_000,
    );
    const sent = Date.now();
    const res = await fetch(`${a}/api/forecast?ticker=%5EGSPC&days=5`);
    expect(res.status).toBe(200);
    const event = await client.waitFor(
      (m) => m.type === 'prediction.served' && m.data.via === 'forecast' && m.data.servedAt >= sent,
      1_000,
    );
    expect(event).toMatchObject({ source: 'replica-a', data: { instance: 'replica-a' } });
    client.ws.close();
  });

  it('closes a WebSocket client that never reads with 4008, its server holding no more than the bound', async () => {
    const slow = await live(`${b.replace(/^http/, 'ws')}/ws/predictions`);
    await slow.waitFor((m) => m.type === 'ready', 5_000);
    await until(
      'replica B to stream to the slow client',
      async () => {
        const t = Date.now();
        await predict(a);
        return (await slow.waitFor(isServed(t), 1_000)) ? true : null;
      },
      60_000,
    );
    // From here the client reads nothing: what B sends piles up in the kernel, then in B's send buffer.
    slow.ws.pause();
    let maxBuffered = 0;
    let closedBySlowness = 0;
    for (let round = 0; round < 400 && closedBySlowness === 0; round++) {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => fetch(`${a}/api/forecast?ticker=%5EGSPC&days=20`)),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
      await Promise.all(answers.map((r) => r.arrayBuffer()));
      const text = await metricsOf(b);
      maxBuffered = Math.max(maxBuffered, counter(text, 'stockops_ws_buffered_bytes'));
      closedBySlowness = counter(text, 'stockops_ws_closed_total\\{reason="slow-consumer"\\}');
    }
    expect(closedBySlowness).toBe(1);
    // The bound, plus at most one event that tipped it over.
    expect(maxBuffered).toBeLessThanOrEqual(WS_BOUND + 4_096);
    slow.ws.resume();
    expect(await slow.closed).toBe(4008);
  });
});

describe('a replica whose Kafka broker goes away and comes back', () => {
  const broker = privateBroker('outage-test');
  let base = '';
  let pid = 0;
  beforeAll(async () => {
    const brokers = await broker.start();
    drops.push(() => broker.stop());
    const replica = await startReplica(
      replicaEnv('replica-c', brokers, `stockops-test-${randomUUID().slice(0, 8)}`),
    );
    base = replica.base;
    pid = replica.proc.pid;
    // The two suites share one database: champions may already be there.
    const champion = await predict(base);
    if (champion.status !== 200) {
      await trainChampions(base, [1]);
    }
  }, 600_000);

  it('keeps serving with the same status codes while events are dropped and counted, then streams again without a restart', async () => {
    const client = await live(`${base.replace(/^http/, 'ws')}/ws/predictions`);
    await until(
      'the replica to stream its own predictions through Kafka',
      async () => {
        const t = Date.now();
        expect((await predict(base)).status).toBe(200);
        return (await client.waitFor(isServed(t), 1_000)) ? true : null;
      },
      60_000,
    );
    const droppedBefore = counter(await metricsOf(base), 'stockops_events_dropped_total');

    await broker.stop();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await predict(base);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).toEqual(Array(20).fill(200));
    // Dropping happens off the request path, once the producer gives up on the batch.
    const dropped = await until(
      'the dropped events to be counted',
      async () => {
        const n = counter(await metricsOf(base), 'stockops_events_dropped_total');
        return n > droppedBefore ? n : null;
      },
      60_000,
    );
    expect(dropped).toBeGreaterThan(droppedBefore);

    await broker.start();
    const restarted = Date.now();
    await until(
      'events to flow again after the broker came back',
      async () => {
        const t = Date.now();
        expect((await predict(base)).status).toBe(200);
        return (await client.waitFor(isServed(t), 1_000)) ? true : null;
      },
      120_000,
    );
    expect(client.messages.some(isServed(restarted))).toBe(true);
    // Same process all along: the health answers with the pid the test started.
    expect((await api<{ instance: string }>(base, 'GET', '/api/health')).instance).toBe(
      'replica-c',
    );
    expect(procs.find((p) => p.pid === pid)?.child.exitCode).toBeNull();
    client.ws.close();
  });
});
