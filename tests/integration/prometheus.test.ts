// Real: Prometheus (Debian's, started by scripts/services/prometheus.sh) scraping two real `stockops start` API
// replicas and a `stockops worker` on real Redis and PostgreSQL (scripts/services/redis.sh, postgres.sh);
// promtool on deploy/prometheus (config, rules, the rules' unit tests) and on what stockops serves; every panel
// of the Grafana dashboards in deploy/grafana/dashboards answered through Prometheus's HTTP API.
import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, ROOT, stackEnv, startProcess, until, type Proc } from './jobs-env.js';

const run = promisify(execFile);
const SCRIPT = join(ROOT, 'scripts', 'services', 'prometheus.sh');
const DEPLOY = join(ROOT, 'deploy', 'prometheus');
const DASHBOARDS = join(ROOT, 'deploy', 'grafana', 'dashboards');

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
  // Forecasts served from the sample's last bar (Friday 2020-04-17), then the next week's bars imported (one row
  // refused), so the monitor run finds matured forecasts and the data panels a quarantined row.
  for (let i = 0; i < 2; i++) {
    await api(a, 'GET', '/api/predict?ticker=%5EGSPC&horizon=1');
  }
  await new Promise((r) => setTimeout(r, 500));
  const csv = [
    'Date,Open,High,Low,Close,Adj Close,Volume',
    '2020-04-20,2845.62,2868.98,2820.43,2823.16,2823.16,5220160000',
    '2020-04-21,2784.81,2785.54,2727.10,2736.56,2736.56,5075830000',
    '2020-04-22,2787.89,2815.10,2775.95,2799.31,2799.31,5049660000',
    '2020-04-23,2810.42,2844.90,2794.26,2797.80,2797.80,5756520000',
    '2020-04-24,2812.64,2842.71,-1,2836.74,2836.74,5374480000',
  ].join('\n');
  const imported = await fetch(`${a}/api/import?ticker=%5EGSPC`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: csv,
  });
  expect(imported.status, await imported.text()).toBe(200);
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
    // Two before the import on one replica, then three on each: their counters summed over the replicas.
    await until(
      'eight forecasts counted',
      async () => {
        const r = await query('sum by (ticker) (stockops_predictions_served_total)');
        return Number(r[0]?.value[1]) === 8 ? r : null;
      },
      60_000,
    );
  });
});

/** Every panel's PromQL, with the dashboard's template variables and Grafana's interval macros substituted. */
function panelQueries(): { dashboard: string; panel: string; expr: string }[] {
  const values: Record<string, string> = {
    ticker: '\\\\^GSPC',
    horizon: '1',
    __rate_interval: '1m',
    __interval: '15s',
    __range: '1h',
  };
  const out: { dashboard: string; panel: string; expr: string }[] = [];
  for (const file of readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as {
      templating: { list: { name: string }[] };
      panels: { title: string; targets: { expr: string }[] }[];
    };
    for (const v of d.templating.list) {
      expect(values, `${file}: no test value for $${v.name}`).toHaveProperty(v.name);
    }
    for (const p of d.panels) {
      expect(p.targets.length, `${file} "${p.title}" has no query`).toBeGreaterThan(0);
      for (const t of p.targets) {
        const expr = t.expr.replace(/\$\{?(\w+)\}?/g, (m, name: string) => values[name] ?? m);
        expect(expr, `${file} "${p.title}": unknown variable`).not.toMatch(/\$/);
        out.push({ dashboard: file, panel: p.title, expr });
      }
    }
  }
  return out;
}

describe('deploy/grafana dashboards', () => {
  it('has the four dashboards, each query answering at least one series in Prometheus', async () => {
    expect(readdirSync(DASHBOARDS).sort()).toEqual([
      'flows.json',
      'models.json',
      'monitoring.json',
      'serving.json',
    ]);
    const queries = panelQueries();
    expect(queries.length).toBeGreaterThan(30);
    const empty = await until(
      'every panel query answering',
      async () => {
        const missing: string[] = [];
        for (const q of queries) {
          if ((await query(q.expr)).length === 0) {
            missing.push(`${q.dashboard} "${q.panel}": ${q.expr}`);
          }
        }
        return missing.length === 0 ? missing : null;
      },
      120_000,
    ).catch(async () => {
      const missing: string[] = [];
      for (const q of queries) {
        if ((await query(q.expr)).length === 0) {
          missing.push(`${q.dashboard} "${q.panel}": ${q.expr}`);
        }
      }
      return missing;
    });
    expect(empty).toEqual([]);
  });

  it('provisions the Prometheus data source the dashboards name, and the dashboards folder', () => {
    const ds = readFileSync(
      join(ROOT, 'deploy', 'grafana', 'provisioning', 'datasources', 'prometheus.yaml'),
      'utf8',
    );
    expect(ds).toMatch(/uid: stockops-prometheus/);
    expect(ds).toMatch(/type: prometheus/);
    const provider = readFileSync(
      join(ROOT, 'deploy', 'grafana', 'provisioning', 'dashboards', 'stockops.yaml'),
      'utf8',
    );
    expect(provider).toMatch(/path: \/var\/lib\/grafana\/dashboards/);
    for (const file of readdirSync(DASHBOARDS)) {
      const d = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as {
        uid: string;
        panels: { datasource: { uid: string }; targets: { datasource: { uid: string } }[] }[];
      };
      expect(d.uid).toMatch(/^stockops-/);
      for (const p of d.panels) {
        expect(p.datasource.uid).toBe('stockops-prometheus');
        expect(p.targets.every((t) => t.datasource.uid === 'stockops-prometheus')).toBe(true);
      }
    }
  });
});
