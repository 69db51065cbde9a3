// Serving at scale with every part real: PostgreSQL (scripts/services/postgres.sh), Redis (scripts/services/redis.sh),
// nginx (scripts/services/nginx.sh, Debian's nginx with deploy/nginx/stockops.conf.template) and three
// `node bin/stockops.js start` replicas as separate processes; load from autocannon. What is asserted is routing,
// failure handling and event propagation, never speed.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, stackEnv } from './jobs-env.js';
import { seedModels, startNginx, startReplica, type Nginx, type Replica } from './serving-env.js';

let env: Record<string, string>;
const replicas: Replica[] = [];
const proxies: Nginx[] = [];
let r1: Replica;
let r2: Replica;
let r3: Replica;

beforeAll(async () => {
  env = await stackEnv(`stockops_serve_${process.pid}`, { STOCKOPS_RATE_LIMIT_MAX: '0' });
  await seedModels(env);
  const started = await Promise.all(['r1', 'r2', 'r3'].map((name) => startReplica(env, name)));
  replicas.push(...started);
  [r1, r2, r3] = started as [Replica, Replica, Replica];
}, 300_000);

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all(replicas.map((r) => r.stop()));
});

const instanceOf = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return { status: res.status, instance: res.headers.get('x-stockops-instance') ?? '' };
};

async function shares(url: string, n: number, init?: RequestInit): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  // A few at a time, as several clients would.
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, () => instanceOf(url, init)),
    );
    for (const b of batch) {
      counts[b.instance] = (counts[b.instance] ?? 0) + 1;
    }
  }
  return counts;
}

const predictUrl = (base: string, horizon = 1) =>
  `${base}/api/predict?ticker=%5EGSPC&horizon=${horizon}`;

async function servedVersion(base: string): Promise<number> {
  const res = await fetch(predictUrl(base));
  return ((await res.json()) as { modelVersion: number }).modelVersion;
}

/** Total serves and rows of the forecast log, read from PostgreSQL itself. */
async function logTotals(): Promise<{ rows: number; serves: number }> {
  const c = new pg.Client({ connectionString: env.DATABASE_URL });
  await c.connect();
  try {
    const r = await c.query<{ rows: string; serves: string | null }>(
      'select count(*) as rows, sum(serve_count) as serves from forecast_log',
    );
    return { rows: Number(r.rows[0]?.rows ?? 0), serves: Number(r.rows[0]?.serves ?? 0) };
  } finally {
    await c.end();
  }
}

describe('nginx in front of the replicas', () => {
  it('renders a configuration that nginx -t accepts', async () => {
    const { stderr } = await promisify(execFile)('bash', [
      join(ROOT, 'scripts', 'services', 'nginx.sh'),
      'check',
    ]);
    expect(stderr).toContain('valid configuration');
  });

  it('splits predictions 70/30 and training starts 30/70 between two replicas, within 5 points', async () => {
    const nginx = await startNginx([r1, r2]);
    proxies.push(nginx);
    const predict = await shares(predictUrl(nginx.url), 2000);
    expect(((predict.r1 ?? 0) / 2000) * 100).toBeGreaterThanOrEqual(65);
    expect(((predict.r1 ?? 0) / 2000) * 100).toBeLessThanOrEqual(75);
    expect((predict.r1 ?? 0) + (predict.r2 ?? 0)).toBe(2000);
    // Starts of an unknown ticker and flow are answered (404) by the replica nginx chose, and start nothing.
    const post = (body: unknown): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const train = await shares(`${nginx.url}/api/train`, 1000, post({ ticker: 'NOPE.XX' }));
    const flows = await shares(`${nginx.url}/api/flows/nope/runs`, 1000, post({}));
    const r2Share = (((train.r2 ?? 0) + (flows.r2 ?? 0)) / 2000) * 100;
    expect(r2Share).toBeGreaterThanOrEqual(65);
    expect(r2Share).toBeLessThanOrEqual(75);
    // The rest of the API alternates.
    const api = await shares(`${nginx.url}/api/tickers`, 200);
    expect(api.r1).toBe(100);
  }, 120_000);
});

describe('cache invalidation across replicas', () => {
  it('serves an alias move made on one replica from every other within a second', async () => {
    const before = await servedVersion(r2.url);
    expect(await servedVersion(r3.url)).toBe(before);
    const target = before === 1 ? 2 : 1;
    const moved = await fetch(`${r1.url}/api/models/%5EGSPC.h1/aliases/champion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: target, reason: 'stack test: propagation' }),
    });
    expect(moved.status).toBe(200);
    const t0 = Date.now();
    const seen = await Promise.all(
      [r2, r3].map(async (r) => {
        while ((await servedVersion(r.url)) !== target && Date.now() - t0 < 5000) {
          await new Promise((done) => setTimeout(done, 20));
        }
        return Date.now() - t0;
      }),
    );
    expect(Math.max(...seen)).toBeLessThanOrEqual(1000);
  });

  it('serves from a bar imported on one replica on every other within a second', async () => {
    const asOf = async (base: string) =>
      ((await (await fetch(predictUrl(base))).json()) as { asOf: string }).asOf;
    expect(await asOf(r2.url)).toBe('2020-04-17');
    const res = await fetch(`${r1.url}/api/import?ticker=%5EGSPC`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'Date,Open,High,Low,Close,Adj Close,Volume\n2020-04-20,2845.62,2868.98,2820.43,2823.16,2823.16,5220160000\n',
    });
    expect(res.status).toBe(200);
    const t0 = Date.now();
    const seen = await Promise.all(
      [r2, r3].map(async (r) => {
        while ((await asOf(r.url)) !== '2020-04-20' && Date.now() - t0 < 5000) {
          await new Promise((done) => setTimeout(done, 20));
        }
        return Date.now() - t0;
      }),
    );
    expect(Math.max(...seen)).toBeLessThanOrEqual(1000);
  });
});

describe('rate limit shared through Redis', () => {
  it('answers the N+1-th request in the window with 429 on every replica', async () => {
    const limited = await Promise.all(
      ['rl1', 'rl2'].map((name) =>
        startReplica(env, name, {
          STOCKOPS_RATE_LIMIT_MAX: '20',
          STOCKOPS_RATE_LIMIT_WINDOW_MS: '60000',
        }),
      ),
    );
    replicas.push(...limited);
    const [a, b] = limited as [Replica, Replica];
    // A key of its own, so this test's budget is nobody else's.
    const headers = { 'x-api-key': `rate-${process.pid}-${Date.now()}` };
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${(i % 2 === 0 ? a : b).url}/api/tickers`, { headers });
      expect(r.status, `request ${i + 1}`).toBe(200);
    }
    for (const r of [a, b]) {
      const over = await fetch(`${r.url}/api/tickers`, { headers });
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await over.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    }
    await Promise.all(limited.map((r) => r.stop()));
  }, 120_000);
});

describe('replicas failing under load', () => {
  let nginx: Nginx;
  beforeAll(async () => {
    nginx = await startNginx([r1, r2, r3]);
    proxies.push(nginx);
  });

  /**
   * Load through nginx on two forecasts (h1 and h5 of the same bar), for `seconds` or `amount` requests;
   * failures keep their messages for the assertion.
   */
  const load = async (run: { seconds: number } | { amount: number }) => {
    const failures: string[] = [];
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: nginx.url,
          connections: 16,
          ...('seconds' in run ? { duration: run.seconds } : { amount: run.amount }),
          requests: [
            { method: 'GET', path: '/api/predict?ticker=%5EGSPC&horizon=1' },
            { method: 'GET', path: '/api/predict?ticker=%5EGSPC&horizon=5' },
          ],
        },
        (err, r) => {
          if (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          } else {
            resolve(r);
          }
        },
      );
      instance.on('reqError', (e: unknown) => {
        failures.push(e instanceof Error ? e.message : String(e));
      });
      instance.on('response', (_client: autocannon.Client, status: number) => {
        if (status >= 300) {
          failures.push(`HTTP ${status}`);
        }
      });
    });
    return { result, failures: failures.slice(0, 5).join('; ') };
  };

  it('answers every request while one replica is SIGKILLed', async () => {
    const running = load({ seconds: 10 });
    await new Promise((done) => setTimeout(done, 3000));
    r3.child.kill('SIGKILL');
    const { result, failures } = await running;
    expect(result['2xx']).toBeGreaterThan(0);
    expect(result.errors, failures).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
  }, 60_000);

  it('answers every request while another drains on SIGTERM, and the log counts every one of them', async () => {
    // Let what r1 and r2 served so far reach the log, then count from here.
    await new Promise((done) => setTimeout(done, 500));
    const before = await logTotals();
    const running = load({ seconds: 8 });
    await new Promise((done) => setTimeout(done, 3000));
    const exited = new Promise<number | null>((done) =>
      r2.child.once('exit', (code) => {
        done(code);
      }),
    );
    r2.child.kill('SIGTERM');
    const { result, failures } = await running;
    expect(await exited).toBe(0);
    expect(result.errors, failures).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    // Nothing answered is missing from the log: r2 wrote its buffer while draining (r1 writes every 100 ms).
    // Requests still in flight when the load stopped may have been served too, so the log may hold up to those.
    await new Promise((done) => setTimeout(done, 500));
    const after = await logTotals();
    const sent = (result.requests as { sent?: number }).sent ?? result['2xx'];
    expect(after.serves - before.serves).toBeGreaterThanOrEqual(result['2xx']);
    expect(after.serves - before.serves).toBeLessThanOrEqual(sent);
  }, 60_000);

  it('keeps one row per distinct forecast of a load run, with serve counts adding up to the requests answered', async () => {
    await new Promise((done) => setTimeout(done, 500));
    const before = await logTotals();
    const { result, failures } = await load({ amount: 3000 });
    expect(result.errors, failures).toBe(0);
    expect(result['2xx']).toBe(3000);
    await new Promise((done) => setTimeout(done, 500));
    const after = await logTotals();
    expect(after.serves - before.serves).toBe(3000);
    // h1 and h5 from the same bar were served before: their rows grew, no row was added.
    expect(after.rows).toBe(before.rows);
  }, 60_000);
});
