// `npm run stack` end to end: the whole topology as processes (scripts/stack.sh: the servers by scripts/services/*.sh,
// `stockops migrate`, two workers, two API replicas per pool, nginx and Prometheus), used only through its front
// door and the servers' own APIs, then `npm run stack:down`. Servers already running (npm run test:stack starts
// PostgreSQL, Redis, MinIO, MLflow, ClickHouse and Kafka first) are used and left running; everything the stack
// started is stopped by PID and checked gone. The stack gets a database, queue, topics and MLflow names of its own.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Consumer, MessagesStreamModes, stringDeserializers } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ROOT } from './jobs-env.js';

const run = promisify(execFile);

interface StackProcess {
  service: string;
  pid: number;
  url: string;
  owned: boolean;
  kind: 'service' | 'app' | 'front' | 'monitor';
}
interface StackState {
  url: string;
  processes: StackProcess[];
  env: Record<string, string>;
}

const id = `${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'stockops-stack-'));
const env = {
  ...process.env,
  STOCKOPS_STACK_DIR: dir,
  STOCKOPS_STACK_DB: `stockops_stack_${id}`,
  STOCKOPS_QUEUE_PREFIX: `stack-${id}`,
  KAFKA_TOPIC_PREFIX: `stack-${id}`,
  STOCKOPS_MLFLOW_PREFIX: `stack-${id}-`,
  // No outside network: nothing scheduled fetches from Yahoo while the test runs.
  STOCKOPS_SCHEDULES: 'false',
  STOCKOPS_API_KEY: `stack-key-${id}`,
};
let state: StackState;
let table = '';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stack(command: 'stack' | 'stack:down'): Promise<string> {
  try {
    const { stdout } = await run('npm', ['run', '--silent', command], {
      cwd: ROOT,
      env,
      maxBuffer: 16 << 20,
    });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `npm run ${command} (scripts/stack.sh) failed: ${err.message}\n${(err.stderr ?? '').slice(-4000)}`,
    );
  }
}

/** Polls `probe` until it returns a value, up to `ms`; the last error is in the failure. */
async function until<T>(what: string, ms: number, probe: () => Promise<T | null>): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null) {
        return v;
      }
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      throw new Error(
        `${what}: not within ${ms} ms${last instanceof Error ? ` (${last.message})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const procs = (kind: StackProcess['kind'], prefix = '') =>
  state.processes.filter((p) => p.kind === kind && p.service.startsWith(prefix));

beforeAll(async () => {
  table = await stack('stack');
  state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as StackState;
}, 900_000);

afterAll(async () => {
  // A failed test still leaves nothing behind.
  if (existsSync(join(dir, 'state.tsv'))) {
    await stack('stack:down');
  }
}, 300_000);

describe('npm run stack', () => {
  it('prints what runs where: two replicas per pool, two workers, nginx, Prometheus and the servers', () => {
    const names = state.processes.map((p) => p.service);
    for (const s of [
      'postgres',
      'redis',
      'minio',
      'mlflow',
      'clickhouse',
      'kafka',
      'api-a1',
      'api-a2',
      'api-b1',
      'api-b2',
      'worker-1',
      'worker-2',
      'nginx',
      'prometheus',
    ]) {
      expect(names, s).toContain(s);
      const p = state.processes.find((q) => q.service === s);
      expect(alive(p?.pid ?? 0), `${s} (pid ${p?.pid}) runs`).toBe(true);
      expect(table).toMatch(new RegExp(`^${s}\\s+${p?.pid}\\s`, 'm'));
    }
    for (const p of [...procs('app'), ...procs('front')]) {
      expect(p.url, p.service).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    }
    // The settings use deploy/.env.example's names.
    for (const k of [
      'DATABASE_URL',
      'REDIS_URL',
      'ARTIFACTS_URL',
      'MLFLOW_TRACKING_URI',
      'KAFKA_BROKERS',
    ]) {
      expect(state.env[k], k).toBeTruthy();
    }
    expect(state.env.DATABASE_URL).toMatch(new RegExp(`/stockops_stack_${id}$`));
  });

  it('trains through nginx on a worker, the model in MLflow and its training data in MinIO', async () => {
    const res = await fetch(`${state.url}/api/train`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': env.STOCKOPS_API_KEY },
      body: JSON.stringify({ ticker: '^GSPC', model: 'drift', horizon: 1 }),
    });
    expect(res.status).toBe(202);
    const { id: runId } = (await res.json()) as { id: string };
    const flowRun = await until('the train run completes', 240_000, async () => {
      const r = (await (await fetch(`${state.url}/api/flow-runs/${runId}`)).json()) as {
        state: string;
        worker: string | null;
        result: { runId: string; modelName: string; modelVersion: number } | null;
      };
      if (r.state === 'Failed' || r.state === 'Crashed') {
        throw new Error(`train run ${r.state}`);
      }
      return r.state === 'Completed' ? r : null;
    });
    // The worker field is host:pid of the worker process that executed it: one of the stack's two workers.
    const workerPid = Number(/:(\d+)$/.exec(flowRun.worker ?? '')?.[1]);
    expect(procs('app', 'worker-').map((p) => p.pid)).toContain(workerPid);

    const result = flowRun.result;
    expect(result).not.toBeNull();
    const mlflow = state.env.MLFLOW_TRACKING_URI;
    const name = `${env.STOCKOPS_MLFLOW_PREFIX}${result?.modelName}`;
    const version = (await (
      await fetch(
        `${mlflow}/api/2.0/mlflow/model-versions/get?name=${encodeURIComponent(name)}&version=${result?.modelVersion}`,
      )
    ).json()) as { model_version?: { run_id: string; status: string } };
    expect(version.model_version?.run_id).toBe(result?.runId);
    expect(version.model_version?.status).toBe('READY');
    const artifacts = (await (
      await fetch(`${mlflow}/api/2.0/mlflow/artifacts/list?run_id=${result?.runId}&path=model`)
    ).json()) as { files?: { path: string }[] };
    expect(artifacts.files?.map((f) => f.path)).toContain('model/model.json');

    // The run names the dataset snapshot it trained on; that object is in the MinIO bucket.
    const mlRun = (await (
      await fetch(`${mlflow}/api/2.0/mlflow/runs/get?run_id=${result?.runId}`)
    ).json()) as { run: { inputs: { dataset_inputs: { dataset: { source: string } }[] } } };
    const source = JSON.parse(mlRun.run.inputs.dataset_inputs[0]?.dataset.source ?? '{}') as {
      uri?: string;
    };
    const uri = new URL(source.uri ?? '');
    expect(`${uri.protocol}//${uri.host}`).toBe(
      `s3://${new URL(state.env.ARTIFACTS_URL ?? '').host}`,
    );
    const s3 = new S3Client({
      endpoint: state.env.S3_ENDPOINT,
      region: state.env.AWS_REGION ?? 'us-east-1',
      forcePathStyle: true,
      credentials: {
        accessKeyId: state.env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: state.env.AWS_SECRET_ACCESS_KEY ?? '',
      },
    });
    try {
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: uri.host, Key: uri.pathname.slice(1) }),
      );
      expect(head.ContentLength).toBeGreaterThan(0);
    } finally {
      s3.destroy();
    }
  }, 300_000);

  it('announces predictions served through nginx on Kafka and on /ws/predictions', async () => {
    const ws = new WebSocket(`${state.url.replace(/^http/, 'ws')}/ws/predictions`);
    const seen: string[] = [];
    ws.on('message', (data: Buffer) => seen.push(data.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        resolve();
      });
      ws.once('error', reject);
    });
    const consumer = new Consumer({
      clientId: `stack-test-${id}`,
      groupId: `stack-test-${id}`,
      bootstrapBrokers: (state.env.KAFKA_BROKERS ?? '').split(','),
      deserializers: stringDeserializers,
      maxWaitTime: 500,
    });
    const onKafka: string[] = [];
    try {
      const stream = await consumer.consume({
        topics: [`${env.KAFKA_TOPIC_PREFIX}.predictions`],
        mode: MessagesStreamModes.EARLIEST,
        autocommit: false,
      });
      stream.on('data', (m: { value: string }) => onKafka.push(m.value));
      const served = await until('a prediction through nginx', 60_000, async () => {
        const r = await fetch(`${state.url}/api/predict?ticker=%5EGSPC&horizon=1`);
        return r.status === 200 ? ((await r.json()) as { modelVersion: number }) : null;
      });
      expect(served.modelVersion).toBeGreaterThan(0);
      const onSocket = await until('the prediction on /ws/predictions', 30_000, () =>
        Promise.resolve(seen.find((m) => m.includes('^GSPC')) ?? null),
      );
      expect(onSocket).toContain('^GSPC');
      const event = await until('the prediction on Kafka', 60_000, () =>
        Promise.resolve(onKafka.find((m) => m.includes('^GSPC')) ?? null),
      );
      expect(event).toContain('^GSPC');
      await stream.close();
    } finally {
      ws.close();
      await new Promise<void>((resolve) => {
        consumer.close(true, () => {
          resolve();
        });
      });
    }
  }, 180_000);

  it('keeps the series in ClickHouse', async () => {
    const url = new URL(state.env.CLICKHOUSE_URL ?? '');
    const db = url.pathname.replace(/^\//, '') || 'stockops';
    const query = `SELECT count() FROM ${db}.clean_bars FINAL WHERE ticker = '^GSPC' FORMAT TabSeparated`;
    const res = await fetch(`${url.origin}/?query=${encodeURIComponent(query)}`, {
      headers: url.username
        ? {
            authorization: `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`,
          }
        : {},
    });
    expect(res.status).toBe(200);
    expect(Number((await res.text()).trim())).toBeGreaterThan(1000);
  });

  it('has Prometheus scraping every replica and worker', async () => {
    const prometheus = procs('monitor')[0]?.url ?? '';
    const targets = [...procs('app', 'api-'), ...procs('app', 'worker-')].map(
      (p) => new URL(p.url).host,
    );
    expect(targets).toHaveLength(6);
    const up = await until('every target up in Prometheus', 120_000, async () => {
      const r = (await (
        await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent('up')}`)
      ).json()) as {
        data: { result: { metric: { instance: string }; value: [number, string] }[] };
      };
      const upOnes = new Set(
        r.data.result.filter((s) => s.value[1] === '1').map((s) => s.metric.instance),
      );
      return targets.every((t) => upOnes.has(t)) ? upOnes : null;
    });
    expect([...up].filter((i) => targets.includes(i)).sort()).toEqual([...targets].sort());
  }, 180_000);

  it('stack:down stops every process the stack started, by PID, and nothing else', async () => {
    const owned = state.processes.filter((p) => p.owned);
    const reused = state.processes.filter((p) => !p.owned);
    expect(owned.length).toBeGreaterThanOrEqual(8);
    await stack('stack:down');
    for (const p of owned) {
      expect(alive(p.pid), `${p.service} (pid ${p.pid}) after stack:down`).toBe(false);
    }
    // Servers the stack found running belong to whoever started them (npm run test:stack) and still run.
    for (const p of reused) {
      expect(alive(p.pid), `${p.service} (pid ${p.pid}), not the stack's`).toBe(true);
    }
    expect(existsSync(join(dir, 'state.tsv'))).toBe(false);
  }, 300_000);
});
