// Schedules with two API replicas: both upsert the same BullMQ job schedulers on real Redis
// (scripts/services/redis.sh) over one real PostgreSQL (scripts/services/postgres.sh), and each tick of a
// schedule starts exactly one flow run, executed by a real `stockops worker`.
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, stackEnv, startProcess, until, type Proc } from './jobs-env.js';

interface Run {
  id: string;
  flow: string;
  state: string;
  scheduleId: string | null;
  createdAt: number;
}

const procs: Proc[] = [];
const bases: string[] = [];
let env: Record<string, string>;

beforeAll(async () => {
  env = await stackEnv(`stockops_sched_${process.pid}`);
  for (let i = 0; i < 2; i++) {
    const p = await startProcess(['start'], { ...env, PORT: '0' }, /listening on (http:\/\/\S+)/);
    procs.push(p);
    bases.push(p.match[1] ?? '');
  }
  procs.push(await startProcess(['worker'], env, /taking jobs/));
}, 300_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
});

const scheduled = async (base: string) =>
  (await api<Run[]>(base, 'GET', '/api/flow-runs?flow=retrain-all')).filter(
    (r) => r.scheduleId === 'retrain-all-weekly',
  );

describe('schedules on two API replicas', () => {
  it('keeps one job scheduler per schedule id and starts one run per tick', async () => {
    const [a = '', b = ''] = bases;
    const queue = new Queue('stockops', {
      connection: { url: env.REDIS_URL ?? '' },
      prefix: env.STOCKOPS_QUEUE_PREFIX ?? '',
    });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual([
        'etl-tw-daily',
        'etl-us-daily',
        'monitor-tw-daily',
        'monitor-us-daily',
        'retrain-all-weekly',
      ]);
    } finally {
      await queue.close();
    }
    // ETL would reach for Yahoo: off. Retrain every minute, one cheap model, edited through replica B.
    await api(a, 'PUT', '/api/schedules/etl-us-daily', { enabled: false });
    await api(b, 'PUT', '/api/schedules/etl-tw-daily', { enabled: false });
    await api(b, 'PUT', '/api/schedules/retrain-all-weekly', {
      cron: '* * * * *',
      timezone: 'America/New_York',
      parameters: { tickers: ['^GSPC'], models: ['naive'] },
    });
    const first = await until(
      'the first tick',
      async () => {
        const runs = await scheduled(a);
        return runs.length > 0 ? runs : null;
      },
      75_000,
    );
    // Both replicas and the store agree: the tick produced one run, and the next tick one more.
    const tick = first[0]?.createdAt ?? 0;
    await until(
      'the second tick',
      async () => ((await scheduled(a)).length >= 2 ? true : null),
      75_000,
    );
    await new Promise((r) => setTimeout(r, 5000));
    const runs = await scheduled(b);
    expect(runs).toHaveLength(2);
    const gap = Math.abs((runs[0]?.createdAt ?? 0) - (runs[1]?.createdAt ?? 0));
    expect(gap).toBeGreaterThan(40_000);
    expect(tick).toBeGreaterThan(0);
    const done = await until(
      'the first scheduled run to finish',
      async () => {
        const r = (await scheduled(b)).find((x) => x.createdAt === tick);
        return r && ['Completed', 'Failed'].includes(r.state) ? r : null;
      },
      60_000,
    );
    expect(done.state).toBe('Completed');
  }, 240_000);
});
