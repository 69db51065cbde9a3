// Crash safety with real processes: an API and two `stockops worker`s on real Redis (scripts/services/redis.sh)
// and real PostgreSQL (scripts/services/postgres.sh). The worker running a training is SIGKILLed while its tracked
// run is RUNNING (the fit works on a worker thread); the flow run must be found Crashed by its lease, its tracked
// run ended KILLED, and the retry on the other worker must leave one completed tracked run and at most one new
// model version.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { api, stackEnv, startProcess, until, type Proc } from './jobs-env.js';

interface TrackedRun {
  id: string;
  status: string;
  tags: Record<string, string>;
}

interface Run {
  id: string;
  state: string;
  attempts: number;
  worker: string | null;
  logs: { message: string }[];
  result: { modelVersion?: number; runId?: string } | null;
}

const LEASE_MS = 10_000;
const procs: Proc[] = [];
let env: Record<string, string>;
let base = '';

beforeAll(async () => {
  env = await stackEnv(`stockops_crash_${process.pid}`, {
    STOCKOPS_FLOW_LEASE_MS: String(LEASE_MS),
    STOCKOPS_SCHEDULES: 'false',
    LOG_LEVEL: 'error',
  });
  const server = await startProcess(
    ['start'],
    { ...env, PORT: '0' },
    /listening on (http:\/\/\S+)/,
  );
  procs.push(server);
  base = server.match[1] ?? '';
  for (let i = 0; i < 2; i++) {
    procs.push(await startProcess(['worker'], env, /taking jobs/));
  }
}, 300_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
});

/** On failure, the processes' own logs say why a run or request failed. */
function dumpOnFailure(): void {
  onTestFailed(() => {
    for (const p of procs) {
      process.stderr.write(`--- stockops pid ${p.pid}\n${p.output()}\n`);
    }
  });
}

describe('a worker killed mid-training', () => {
  it('leaves its run Crashed, which another worker completes with one tracked run and at most one new version', async () => {
    dumpOnFailure();
    // Naive first (the floor, version 1), so the run killed below is the ridge fit itself.
    const floor = await api<{ id: string }>(base, 'POST', '/api/flows/train/runs', {
      ticker: '^GSPC',
      model: 'naive',
      horizon: 1,
    });
    await until(
      'the naive floor',
      async () => {
        const r = await api<Run>(base, 'GET', `/api/flow-runs/${floor.id}`);
        return r.state === 'Completed' ? r : null;
      },
      120_000,
    );
    const { id } = await api<{ id: string }>(base, 'POST', '/api/flows/train/runs', {
      ticker: '^GSPC',
      model: 'ridge',
      horizon: 1,
    });
    const running = await until(
      'the run to start',
      async () => {
        const r = await api<Run>(base, 'GET', `/api/flow-runs/${id}`);
        return r.state === 'Running' && r.worker !== null ? r : null;
      },
      60_000,
    );
    const victim = procs.find((p) => running.worker?.endsWith(`:${p.pid}`));
    expect(victim, `worker ${running.worker ?? ''} is one of ours`).toBeDefined();
    const trackedOf = async () =>
      (await api<TrackedRun[]>(base, 'GET', '/api/runs?ticker=%5EGSPC')).filter(
        (r) => r.tags['stockops.flow_run'] === id,
      );
    // Killed mid-fit: the attempt's tracked run exists and is RUNNING while the fit thread works.
    const abandoned = await until(
      'the tracked run of the first attempt',
      async () => {
        const [r] = await trackedOf();
        if (r && r.status !== 'RUNNING') {
          throw new Error(`the first attempt's tracked run ended ${r.status} before the kill`);
        }
        return r ?? null;
      },
      60_000,
    );
    victim?.child.kill('SIGKILL');
    const killedAt = Date.now();

    const crashed = await until(
      'the lease to expire',
      async () => {
        const r = await api<Run>(base, 'GET', `/api/flow-runs/${id}`);
        return r.state !== 'Running' || r.worker !== running.worker ? r : null;
      },
      LEASE_MS + 30_000,
    );
    const detectedMs = Date.now() - killedAt;
    const done = await until(
      'the retry to finish',
      async () => {
        const r = await api<Run>(base, 'GET', `/api/flow-runs/${id}`);
        return ['Completed', 'Failed', 'Cancelled'].includes(r.state) ? r : null;
      },
      120_000,
    );
    const finishedMs = Date.now() - killedAt;
    process.stdout.write(
      `crash detected ${detectedMs} ms after SIGKILL (lease ${LEASE_MS} ms); retried run completed ${finishedMs} ms after it\n`,
    );
    expect(['Crashed', 'Running']).toContain(crashed.state);
    expect(done.state).toBe('Completed');
    expect(done.worker).not.toBe(running.worker);
    expect(done.attempts).toBe(2);
    expect(done.logs.some((l) => l.message.includes('Crashed'))).toBe(true);

    const runs = await api<{ status: string; tags: Record<string, string> }[]>(
      base,
      'GET',
      '/api/runs?ticker=%5EGSPC',
    );
    // The naive floor's run and the retried ridge run.
    expect(runs.filter((r) => r.status === 'FINISHED')).toHaveLength(2);
    // The killed attempt's run was ended KILLED by the sweep that found the flow run Crashed.
    const tracked = await trackedOf();
    expect(tracked.map((r) => [r.id === abandoned.id, r.status]).sort()).toEqual([
      [false, 'FINISHED'],
      [true, 'KILLED'],
    ]);
    expect(
      done.logs.some((l) =>
        l.message.includes(`${abandoned.id} of the crashed attempt ended KILLED`),
      ),
    ).toBe(true);
    const models = await api<{ name: string; versions: unknown[] }[]>(base, 'GET', '/api/models');
    expect(models.find((m) => m.name === '^GSPC.h1')?.versions.length ?? 0).toBeLessThanOrEqual(2);
    expect(done.result?.modelVersion).toBe(2);
  });

  it('keeps the lease of a long CPU-bound gbdt training, fitted on a worker thread, without a crash or a second attempt', async () => {
    dumpOnFailure();
    const { id } = await api<{ id: string }>(base, 'POST', '/api/flows/train/runs', {
      ticker: '^GSPC',
      model: 'gbdt',
      horizon: 5,
    });
    const done = await until(
      'the gbdt run to finish',
      async () => {
        const r = await api<Run>(base, 'GET', `/api/flow-runs/${id}`);
        return ['Completed', 'Failed', 'Cancelled'].includes(r.state) ? r : null;
      },
      240_000,
    );
    expect(done.state).toBe('Completed');
    // Renewed from the lease thread: never Crashed, never run twice.
    expect(done.attempts).toBe(1);
    expect(done.logs.some((l) => l.message.includes('Crashed'))).toBe(false);
  }, 300_000);
});
