// Real: Prometheus (Debian's, started by scripts/services/prometheus.sh) scraping two real `stockops start` API
// replicas and a `stockops worker` on real Redis and PostgreSQL (scripts/services/redis.sh, postgres.sh);
// promtool on deploy/prometheus (config, rules, the rules' unit tests) and on what stockops serves.
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, ROOT, stackEnv, startProcess, until, type Proc } from './jobs-env.js';

const run = promisify(execFile);
const SCRIPT = join(ROOT, 'scripts', 'services', 'prometheus.sh');
const DEPLOY = join(ROOT, 'deploy', 'prometheus');

interface FlowRun {
  id: string;
  state: string;
  error: unknown;
}

interface PromResult {
  status: string;
  data: {
    resultType: string;
    result: { metric: Record<string, string>; value: [number, string] }[];
  };
}

const procs: Proc[] = [];
const bases: string[] = [];
let workerMetrics = '';
let prometheus = '';

function promtool(args: string[], input?: string): { code: number; out: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', ...(input ? { input } : {}) });
  if (r.error) {
    throw new Error(
      `promtool not found (${r.error.message}): scripts/services/prometheus.sh installs Debian's prometheus, which brings it`,
    );
  }
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

async function query(q: string): Promise<PromResult['data']['result']> {
  const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as PromResult;
  if (body.status !== 'success') {
    throw new Error(`query ${q}: ${JSON.stringify(body)}`);
  }
  return body.data.result;
}

async function waitRun(base: string, id: string): Promise<FlowRun> {
  return until(
    `flow run ${id}`,
    async () => {
      const r = await api<FlowRun>(base, 'GET', `/api/flow-runs/${id}`);
      return ['Completed', 'Failed', 'Cancelled'].includes(r.state) ? r : null;
    },
    240_000,
  );
}

beforeAll(async () => {
  const env = await stackEnv(`stockops_prom_${process.pid}`, { STOCKOPS_SCHEDULES: 'false' });
  for (let i = 0; i < 2; i++) {
    const p = await startProcess(['start'], { ...env, PORT: '0' }, /listening on (http:\/\/\S+)/);
    procs.push(p);
    bases.push(p.match[1] ?? '');
  }
  const w = await startProcess(
    ['worker', '--metrics-port', '0'],
    env,
    /metrics on (http:\/\/\S+\/metrics)/,
  );
  procs.push(w);
  workerMetrics = w.match[1] ?? '';
  try {
    const { stdout } = await run(SCRIPT, ['start', ...bases, '--worker', workerMetrics], {
      env: { ...process.env, PROMETHEUS_SCRAPE_INTERVAL: '1s' },
    });
    prometheus = /PROMETHEUS_URL=(\S+)/.exec(stdout)?.[1] ?? '';
  } catch (e) {
    throw new Error(
      `scripts/services/prometheus.sh start failed: ${(e as { stderr?: string }).stderr ?? String(e)}`,
    );
  }
  // Traffic on both replicas, a training (on the worker) and a monitor run.
  const [a = '', b = ''] = bases;
  const train = await api<{ id: string }>(a, 'POST', '/api/train', {
    ticker: '^GSPC',
    model: 'ridge',
    horizon: 1,
  });
  expect((await waitRun(a, train.id)).state).toBe('Completed');
  const monitor = await api<{ id: string }>(b, 'POST', '/api/flows/monitor/runs', {});
  const m = await waitRun(b, monitor.id);
  expect(m.state, JSON.stringify(m.error)).toBe('Completed');
  for (const base of bases) {
    for (let i = 0; i < 3; i++) {
      await api(base, 'GET', '/api/predict?ticker=%5EGSPC&horizon=1');
    }
  }
}, 600_000);

afterAll(async () => {
  if (prometheus !== '') {
    await run(SCRIPT, ['stop']).catch(() => undefined);
  }
  await Promise.all(procs.map((p) => p.stop()));
});

describe('deploy/prometheus', () => {
  it('passes promtool check config, check rules and the rules unit tests', () => {
    const config = promtool(['check', 'config', join(DEPLOY, 'prometheus.yml')]);
    expect(config.code, config.out).toBe(0);
    const rules = promtool(['check', 'rules', join(DEPLOY, 'alerts.yml')]);
    expect(rules.code, rules.out).toBe(0);
    expect(rules.out).toMatch(/SUCCESS: 8 rules found/);
    const tests = promtool(['test', 'rules', join(DEPLOY, 'alerts.test.yml')]);
    expect(tests.code, tests.out).toBe(0);
  });
});

describe('Prometheus scraping stockops', () => {
  it('serves metrics that pass promtool check metrics, on the API and on the worker', async () => {
    for (const url of [`${bases[0] ?? ''}/metrics`, workerMetrics]) {
      const text = await (await fetch(url)).text();
      const lint = promtool(['check', 'metrics'], text);
      expect(lint.code, `${url}: ${lint.out}`).toBe(0);
    }
  });

  it('scrapes both API replicas and the worker, and loads the alert rules', async () => {
    const up = await until(
      'three targets up',
      async () => {
        const r = await query('up{job=~"stockops-.*"} == 1');
        return r.length === 3 ? r : null;
      },
      60_000,
    );
    expect(up.map((s) => s.metric.job).sort()).toEqual([
      'stockops-api',
      'stockops-api',
      'stockops-worker',
    ]);
    const rules = (await (await fetch(`${prometheus}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string; health: string }[] }[] };
    };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name)).toContain('StockopsPersistentDrift');
    expect(loaded.every((r) => r.health !== 'err')).toBe(true);
  });

  it("has the monitor run's drift and the worker's training in its series", async () => {
    const drift = await until(
      'the drift share',
      async () => {
        const r = await query('max by (ticker, horizon) (stockops_model_drift_share_ratio)');
        return r.length > 0 ? r : null;
      },
      60_000,
    );
    expect(drift.map((s) => s.metric.ticker)).toContain('^GSPC');
    const trained = await until(
      "the worker's training counter",
      async () => {
        const r = await query('stockops_training_runs_total{job="stockops-worker"}');
        return r.length > 0 ? r : null;
      },
      60_000,
    );
    expect(trained.length).toBeGreaterThan(0);
    // Three forecasts on each replica: their counters summed over the replicas.
    await until(
      'six forecasts counted',
      async () => {
        const r = await query('sum by (ticker) (stockops_predictions_served_total)');
        return Number(r[0]?.value[1]) === 6 ? r : null;
      },
      60_000,
    );
  });
});
