// `npm run bench:events`: events/s through the Kafka adapter, publish -> WebSocket latency across processes, fan-out
// of metrics.sample to many WebSocket clients, and /api/predict req/s with the bus off, in process and on Kafka;
// rewrites its table in README.md. Needs the Kafka of scripts/services/kafka.sh (STACK_KAFKA_BROKERS or KAFKA_BROKERS).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { WebSocket } from 'ws';
import type { LiveMessage } from '../src/api/index.js';
import { makeEvent, type StockopsEvent } from '../src/core/index.js';
import { KafkaBus } from '../src/stores/events/index.js';
import { writeBetweenMarkers } from './support.js';

interface EventsBenchConfig {
  throughput: { events: number; maxBuffered: number };
  latency: { eventsPerSecond: number; seconds: number };
  fanout: { clients: number; sampleMs: number; seconds: number };
  predict: { connections: number; seconds: number; rounds: number };
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BENCH = join(ROOT, 'bench');
const BIN = join(ROOT, 'bin', 'stockops.js');
const WITHOUT_BUS = join(import.meta.dirname, 'serve-without-bus.js');
const config = JSON.parse(
  readFileSync(join(BENCH, 'config', 'events.json'), 'utf8'),
) as EventsBenchConfig;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (m: string) => {
  console.error(`bench:events: ${m}`);
};

function brokers(): string[] {
  const raw = process.env.STACK_KAFKA_BROKERS ?? process.env.KAFKA_BROKERS;
  if (!raw) {
    throw new Error(
      'no Kafka: start it with scripts/services/kafka.sh and set STACK_KAFKA_BROKERS=<the KAFKA_BROKERS it prints>',
    );
  }
  return raw.split(',');
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const served = (ticker: string, i: number): StockopsEvent =>
  makeEvent('prediction.served', {
    ticker,
    horizon: 1,
    asOf: '2020-04-17',
    targetDate: '2020-04-20',
    model: {
      name: `${ticker}.h1`,
      version: 1,
      kind: 'ridge',
      runId: 'f'.repeat(32),
      featureSet: 'alpha@1',
    },
    predictedReturn: 0.001,
    predictedClose: 2880 + i / 1000,
    lastClose: 2874.56,
    intervals: [
      { level: 0.8, lower: 2820.1, upper: 2940.2 },
      { level: 0.95, lower: 2790.3, upper: 2972.4 },
    ],
    servedAt: Date.now(),
    via: 'predict',
    instance: 'bench',
  });

interface Server {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts a server process and resolves with its URL once it listens. */
function startServer(args: string[], env: Record<string, string>): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', REDIS_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s"']+)/.exec(out);
      if (m?.[1]) {
        resolve({
          child,
          url: m[1].replace(/\/$/, ''),
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => {
                done();
              });
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      reject(new Error(`${args.join(' ')} exited (${String(code)}):\n${out}`));
    });
  });
}

/** A data folder with the bundled sample imported and a champion trained, shared by the servers in turn. */
async function preparedHome(): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'stockops-bench-events-'));
  const s = await startServer([BIN, 'start'], { STOCKOPS_HOME: home, STOCKOPS_SCHEDULES: 'false' });
  for (;;) {
    const h = (await (await fetch(`${s.url}/api/health`)).json()) as {
      bootstrap?: { state: string };
    };
    if (h.bootstrap?.state === 'done') {
      break;
    }
    if (h.bootstrap?.state === 'failed') {
      throw new Error('bootstrap failed');
    }
    await sleep(500);
  }
  await s.stop();
  return home;
}

/** Events/s the adapter gets acknowledged, and the rate a subscriber of another bus receives them. */
async function throughput(kafka: string[]) {
  const topicPrefix = `stockops-bench-${randomUUID().slice(0, 8)}`;
  const producer = await KafkaBus.open({
    brokers: kafka,
    topicPrefix,
    instanceId: 'bench-producer',
    maxBuffered: config.throughput.maxBuffered,
  });
  const consumer = await KafkaBus.open({
    brokers: kafka,
    topicPrefix,
    instanceId: 'bench-consumer',
  });
  const n = config.throughput.events;
  let received = 0;
  let lastAt = 0;
  const sub = consumer.subscribe(['predictions'], () => {
    received++;
    lastAt = performance.now();
  });
  await sub.ready;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    producer.publish(served(`B${i % 500}`, i));
  }
  await producer.flush();
  const produced = performance.now() - t0;
  const deadline = Date.now() + 120_000;
  while (received < n && Date.now() < deadline) {
    await sleep(50);
  }
  const stats = producer.stats();
  await producer.close();
  await consumer.close();
  return {
    n,
    publishedPerSecond: (stats.published / produced) * 1000,
    dropped: stats.dropped,
    received,
    receivedPerSecond: (received / (lastAt - t0)) * 1000,
  };
}

async function openClient(url: string, onMessage: (m: LiveMessage, at: number) => void) {
  const ws = new WebSocket(url);
  ws.on('message', (data: Buffer) => {
    onMessage(JSON.parse(data.toString()) as LiveMessage, Date.now());
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve();
    });
    ws.once('error', reject);
  });
  return ws;
}

/** Publish (this process, Kafka adapter) -> Kafka -> a stockops server's fan-out -> its WebSocket client here. */
async function latency(kafka: string[], home: string) {
  const topicPrefix = `stockops-bench-${randomUUID().slice(0, 8)}`;
  const server = await startServer([BIN, 'start'], {
    STOCKOPS_HOME: home,
    STOCKOPS_BOOTSTRAP: 'false',
    STOCKOPS_SCHEDULES: 'false',
    KAFKA_BROKERS: kafka.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
  });
  const bus = await KafkaBus.open({ brokers: kafka, topicPrefix, instanceId: 'bench-publisher' });
  const lags: number[] = [];
  const ws = await openClient(
    `${server.url.replace(/^http/, 'ws')}/ws/predictions?ticker=LAT`,
    (m, at) => {
      if (m.type === 'prediction.served') {
        lags.push(at - m.time);
      }
    },
  );
  // Until the server's consumer has joined its group, events pass it by.
  while (lags.length === 0) {
    bus.publish(served('LAT', 0));
    await sleep(250);
  }
  lags.length = 0;
  const total = config.latency.eventsPerSecond * config.latency.seconds;
  const every = 1000 / config.latency.eventsPerSecond;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * every - performance.now();
    if (due > 0) {
      await sleep(due);
    }
    bus.publish(served('LAT', i));
  }
  await bus.flush();
  await sleep(2_000);
  ws.close();
  await bus.close();
  await server.stop();
  const sorted = [...lags].sort((a, b) => a - b);
  return {
    sent: total,
    received: lags.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** One server (in-process bus) sampling at 2 Hz, watched by one client, then by `clients` clients. */
async function fanout(home: string) {
  const server = await startServer([BIN, 'start'], {
    STOCKOPS_HOME: home,
    STOCKOPS_BOOTSTRAP: 'false',
    STOCKOPS_SCHEDULES: 'false',
    STOCKOPS_INSTANCE: 'fanout',
    STOCKOPS_METRICS_SAMPLE_MS: String(config.fanout.sampleMs),
  });
  const url = `${server.url.replace(/^http/, 'ws')}/ws/metrics?instance=fanout`;
  const measure = async (clients: number) => {
    const lags: number[] = [];
    const cpu: number[] = [];
    const loop: number[] = [];
    let measuring = false;
    const sockets: WebSocket[] = [];
    for (let i = 0; i < clients; i++) {
      sockets.push(
        await openClient(url, (m, at) => {
          if (!measuring || m.type !== 'metrics.sample') {
            return;
          }
          lags.push(at - m.time);
          if (i === 0) {
            cpu.push(m.data.cpuPercent);
            loop.push(m.data.eventLoopDelayP99Ms);
          }
        }),
      );
    }
    // The backlog each client gets on connect is not part of the measure.
    await sleep(2 * config.fanout.sampleMs);
    measuring = true;
    await sleep(config.fanout.seconds * 1000);
    measuring = false;
    for (const s of sockets) {
      s.close();
    }
    await sleep(1_000);
    const sorted = [...lags].sort((a, b) => a - b);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
    return {
      clients,
      delivered: lags.length,
      expected: Math.round((clients * config.fanout.seconds * 1000) / config.fanout.sampleMs),
      lagP50: percentile(sorted, 50),
      lagP99: percentile(sorted, 99),
      cpu: mean(cpu),
      loopP99: Math.max(...loop),
    };
  };
  const one = await measure(1);
  const many = await measure(config.fanout.clients);
  await server.stop();
  return { one, many };
}

interface PredictRow {
  mode: string;
  rps: number[];
  p50: number[];
  p99: number[];
  non2xx: number;
}

/** /api/predict with autocannon against a server with nothing published, the in-process bus, the Kafka bus. */
async function predict(kafka: string[], home: string): Promise<PredictRow[]> {
  const modes: { mode: string; args: string[]; env: Record<string, string> }[] = [
    { mode: 'bus off (nothing published)', args: [WITHOUT_BUS], env: {} },
    { mode: 'in-process bus', args: [BIN, 'start'], env: {} },
    {
      mode: 'Kafka bus',
      args: [BIN, 'start'],
      env: {
        KAFKA_BROKERS: kafka.join(','),
        KAFKA_TOPIC_PREFIX: `stockops-bench-${randomUUID().slice(0, 8)}`,
      },
    },
  ];
  const rows = new Map<string, PredictRow>(
    modes.map((m) => [m.mode, { mode: m.mode, rps: [], p50: [], p99: [], non2xx: 0 }]),
  );
  // Rounds interleave the modes, so a change in the machine's load falls on all of them.
  for (let round = 0; round < config.predict.rounds; round++) {
    for (const m of modes) {
      const server = await startServer(m.args, {
        STOCKOPS_HOME: home,
        STOCKOPS_BOOTSTRAP: 'false',
        STOCKOPS_SCHEDULES: 'false',
        ...m.env,
      });
      const url = `${server.url}/api/predict?ticker=%5EGSPC&horizon=1`;
      // Warm: the champion loaded and the JIT past its first requests.
      await autocannon({ url, connections: 4, duration: 2 });
      const r = await autocannon({
        url,
        connections: config.predict.connections,
        duration: config.predict.seconds,
      });
      await server.stop();
      const row = rows.get(m.mode);
      row?.rps.push(r.requests.average);
      row?.p50.push(r.latency.p50);
      row?.p99.push(r.latency.p99);
      if (row) {
        row.non2xx += r.non2xx + r.errors;
      }
      log(`${m.mode}, round ${round + 1}: ${Math.round(r.requests.average)} req/s`);
    }
  }
  return [...rows.values()];
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : '-';
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);

async function main(): Promise<void> {
  const kafka = brokers();
  const loadStart = loadavg();
  log('preparing a data folder (bootstrap of the bundled sample)');
  const home = await preparedHome();
  try {
    log('throughput through the Kafka adapter');
    const t = await throughput(kafka);
    log('latency publish -> WebSocket');
    const l = await latency(kafka, home);
    log(`fan-out to ${config.fanout.clients} WebSocket clients`);
    const f = await fanout(home);
    log('/api/predict with the bus off, in process, on Kafka');
    const p = await predict(kafka, home);
    const loadEnd = loadavg();
    const off = p[0] ? mean(p[0].rps) : Number.NaN;
    const lines = [
      `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${availableParallelism()} x ${cpus()[0]?.model.trim() ?? '?'}, Node ${process.version}, Kafka broker of scripts/services/kafka.sh (one node, loopback); load average ${loadStart.map((x) => x.toFixed(2)).join(' ')} at start, ${loadEnd.map((x) => x.toFixed(2)).join(' ')} at end.`,
      '',
      '| measure | value | notes |',
      '| --- | ---: | --- |',
      `| events produced through the Kafka adapter | ${fmt(t.publishedPerSecond)} events/s | ${fmt(t.n)} prediction.served events (~0.6 KB of JSON each), batches of 500, acks from the leader; ${fmt(t.dropped)} dropped |`,
      `| events received by a subscriber of another bus | ${fmt(t.receivedPerSecond)} events/s | ${fmt(t.received)} of ${fmt(t.n)}, first publish to last arrival |`,
      `| latency publish -> Kafka -> server -> WebSocket client, p50 | ${fmt(l.p50, 1)} ms | ${fmt(l.received)} of ${fmt(l.sent)} events at ${config.latency.eventsPerSecond}/s, publisher and server in two processes |`,
      `| same, p99 | ${fmt(l.p99, 1)} ms | |`,
      `| fan-out of metrics.sample at ${1000 / config.fanout.sampleMs} Hz: server CPU with 1 client | ${fmt(f.one.cpu, 1)} % | event-loop delay p99 up to ${fmt(f.one.loopP99, 1)} ms |`,
      `| same with ${config.fanout.clients} clients: server CPU | ${fmt(f.many.cpu, 1)} % | event-loop delay p99 up to ${fmt(f.many.loopP99, 1)} ms; ${fmt(f.many.delivered)} of ${fmt(f.many.expected)} messages delivered in ${config.fanout.seconds} s |`,
      `| same, lag from publish to client, p50 / p99 | ${fmt(f.many.lagP50, 1)} / ${fmt(f.many.lagP99, 1)} ms | the ${config.fanout.clients} clients run in the bench process on the same 2 cores |`,
      ...p.map(
        (r) =>
          `| /api/predict, ${r.mode} | ${fmt(mean(r.rps))} req/s | p50 ${fmt(mean(r.p50), 1)} ms, p99 ${fmt(mean(r.p99), 1)} ms, ${config.predict.connections} connections, ${r.rps.length} x ${config.predict.seconds} s (${r.rps.map((x) => fmt(x)).join(', ')}); ${fmt(mean(r.rps) / off, 2)} of bus off; ${r.non2xx} non-2xx or errors |`,
      ),
    ];
    const table = lines.join('\n');
    console.log(table);
    if (!writeBetweenMarkers(join(BENCH, 'README.md'), 'bench:events', table)) {
      throw new Error(
        'bench/README.md has no <!-- bench:events:start --> ... <!-- bench:events:end --> block',
      );
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
