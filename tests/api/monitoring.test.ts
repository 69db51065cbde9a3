// The monitor flow over HTTP on the embedded stores (in-process runner, PGlite in memory, the bundled sample): reports, the retrain policy's decisions and settings, alerts raised, acknowledged and resolved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Alert,
  MonitoringReportSummaryView,
  MonitoringReportView,
  RealisedPointView,
  RetrainDecisionView,
  RetrainPolicyView,
} from '../../src/api/index.js';
import { makeEvent, type BusEvent } from '../../src/core/index.js';
import { harness, type Harness } from './harness.js';

interface Run {
  id: string;
  state: string;
  parameters: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error: unknown;
}

const DAY = 86_400_000;
const headers = { 'x-api-key': 'k' };

let h: Harness;
// What the alerts channel (and so /ws/alerts) carried, from the start.
const onBus: BusEvent[] = [];
beforeAll(async () => {
  h = await harness({ apiKey: 'k' });
  h.rt.events.subscribe(['alerts'], (e) => onBus.push(e));
});
afterAll(async () => {
  await h.close();
});

const get = <T>(url: string) => h.app.inject({ url }).then((r) => r.json<T>());

async function waitRun(id: string): Promise<Run> {
  for (;;) {
    const run = await get<Run>(`/api/flow-runs/${id}`);
    if (['Completed', 'Failed', 'Cancelled'].includes(run.state)) {
      return run;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function monitor(): Promise<Run> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/flows/monitor/runs',
    headers,
    payload: { tickers: ['^GSPC'], horizons: [1] },
  });
  expect(res.statusCode, res.body).toBe(202);
  const run = await waitRun(res.json<{ id: string }>().id);
  expect(run.state, JSON.stringify(run.error)).toBe('Completed');
  return run;
}

/** The injected clock of the flows' services (the runtime hands the flows their own copy of the deps). */
const setNow = (ms: number) => {
  h.rt.etl.now = () => new Date(ms);
  h.rt.services.now = () => new Date(ms);
};

describe('monitor flow', () => {
  let createdAt: number;
  let champion: number;

  it('stores one report per served model: every feature with its test, threshold and verdict, histograms, the window by bar date', async () => {
    const v = await h.rt.services.registry.getVersionByAlias('^GSPC.h1', 'champion');
    createdAt = v?.createdAt ?? 0;
    champion = v?.version ?? 0;
    // A day after the sample's last bar (Friday 2020-04-17): nothing is stale yet.
    setNow(Date.parse('2020-04-20T12:00:00Z'));
    await monitor();
    const list = await get<MonitoringReportSummaryView[]>(
      '/api/monitoring/reports?ticker=%5Egspc&horizon=1',
    );
    expect(list).toHaveLength(1);
    const summary = list[0] as MonitoringReportSummaryView;
    expect(summary).toMatchObject({
      model: '^GSPC.h1',
      version: champion,
      status: 'ok',
      window: { to: '2020-04-17', rows: 60 },
    });
    expect(summary).not.toHaveProperty('features');
    const report = await get<MonitoringReportView>(`/api/monitoring/reports/${summary.id}`);
    const columns = Object.values(report.features?.columns ?? {});
    expect(columns).toHaveLength(78);
    const tested = columns.flatMap((c) => (c.status === 'tested' ? [c.result] : []));
    // A reference of 1000 rows is small by Evidently's rule: KS (or chi-square/Z for few values).
    expect(new Set(tested.map((c) => c.test))).toEqual(
      new Set(tested.map((c) => (c.nValues > 5 ? 'ks' : c.nValues > 2 ? 'chisquare' : 'z'))),
    );
    expect(tested.every((c) => c.nRef === 1000 && c.threshold === 0.05)).toBe(true);
    expect(report.featureDrift?.nTested).toBe(tested.length);
    expect(Object.keys(report.target?.columns ?? {})).toEqual(['return']);
    expect(Object.keys(report.predictions?.columns ?? {})).toEqual(['in_sample', 'out_of_sample']);
    const hist =
      report.histograms.ret_1 ?? report.histograms[Object.keys(report.histograms)[0] ?? ''];
    expect(hist?.edges.length).toBe(21);
    expect(hist?.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(report.reference?.thresholds).toMatchObject({ minSamples: 30, driftShare: 0.5 });
    expect((await h.app.inject({ url: '/api/monitoring/reports/999999' })).statusCode).toBe(404);
  });

  it('records the policy decision of each run with the rule and the numbers, even when nothing fires', async () => {
    const decisions = await get<RetrainDecisionView[]>('/api/retrain-decisions?model=%5EGSPC.h1');
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ retrain: false, version: champion, trainRunId: null });
    expect(decisions[0]?.numbers).toMatchObject({ driftWindowsNeeded: 3 });
  });

  it('keeps the policy in force, from the environment until one is stored; PUT validates and needs the key', async () => {
    expect(await get<RetrainPolicyView>('/api/retrain-policy')).toMatchObject({
      source: 'environment',
      settings: { driftRuns: 3, cooldownDays: 7, approval: false },
    });
    const unauth = await h.app.inject({
      method: 'PUT',
      url: '/api/retrain-policy',
      payload: { cooldownDays: 30 },
    });
    expect(unauth.statusCode).toBe(401);
    const bad = await h.app.inject({
      method: 'PUT',
      url: '/api/retrain-policy',
      headers,
      payload: { driftRuns: 0 },
    });
    expect(bad.statusCode).toBe(400);
    const unknown = await h.app.inject({
      method: 'PUT',
      url: '/api/retrain-policy',
      headers,
      payload: { k: 3 },
    });
    expect(unknown.statusCode).toBe(400);
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/retrain-policy',
      headers,
      payload: { cooldownDays: 30, maxAgeDays: 90 },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json<RetrainPolicyView>()).toMatchObject({
      source: 'stored',
      updatedBy: 'api',
      settings: { cooldownDays: 30, driftRuns: 3, maxAgeDays: 90 },
    });
  });

  it('retrains an old champion once as a train flow run, and suppresses the next inside the cooldown', async () => {
    setNow(createdAt + 91 * DAY);
    const run = await monitor();
    expect(run.result).toMatchObject({ retrains: ['^GSPC.h1'] });
    const [retrain] = await get<RetrainDecisionView[]>('/api/retrain-decisions?limit=1');
    expect(retrain).toMatchObject({ retrain: true, rule: 'age', suppressedBy: null });
    expect(retrain?.numbers.ageDays).toBeCloseTo(91, 0);
    const train = await waitRun(retrain?.trainRunId ?? '');
    expect(train).toMatchObject({
      state: 'Completed',
      parameters: { ticker: '^GSPC', horizon: 1, actor: 'retrain-policy' },
    });
    expect(train.result).toHaveProperty('decision');

    setNow(createdAt + 92 * DAY);
    await monitor();
    const [next] = await get<RetrainDecisionView[]>('/api/retrain-decisions?limit=1');
    // The retrain may have been promoted (a young champion) or not (the old one, still over age).
    if (next?.version === champion) {
      expect(next).toMatchObject({ retrain: false, rule: 'age', suppressedBy: 'cooldown' });
      expect(next.reason).toMatch(/inside the 30-day cooldown/);
    } else {
      expect(next).toMatchObject({ retrain: false, rule: null });
    }
  });
});

describe('alerts', () => {
  const settle = async () => {
    await h.rt.events.flush();
    await new Promise((r) => setTimeout(r, 50));
  };

  it('raises stale data for a scheduled ticker without bars for more than 2 sessions, once', async () => {
    setNow(Date.parse('2020-04-24T12:00:00Z'));
    await monitor();
    await monitor();
    const active = await get<Alert[]>('/api/alerts?state=active');
    const stale = active.filter((a) => a.rule === 'stale-data');
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({
      key: 'stale-data:^GSPC',
      ticker: '^GSPC',
      value: 4,
      threshold: 2,
    });
    // Raised once on the bus, as the event catalogue types it.
    await settle();
    const raised = onBus.filter((e) => e.type === 'alert.raised' && e.data.rule === 'stale-data');
    expect(raised).toHaveLength(1);
    expect(raised[0]?.data).toMatchObject({
      alertId: String(stale[0]?.id),
      ticker: '^GSPC',
      severity: stale[0]?.severity,
      threshold: 2,
    });
    // Raised by an earlier run (the retrain test's clock is months on); the store keeps the latest value.
    expect(raised[0]?.type === 'alert.raised' && raised[0].data.value).toBeGreaterThan(2);
  });

  it('acknowledges an open alert, and resolves it when its condition ends', async () => {
    const [stale] = await get<Alert[]>('/api/alerts?state=active');
    const url = `/api/alerts/${stale?.id}/ack`;
    expect((await h.app.inject({ method: 'POST', url })).statusCode).toBe(401);
    const acked = await h.app.inject({ method: 'POST', url, headers, payload: { by: 'ops' } });
    expect(acked.statusCode, acked.body).toBe(200);
    expect(acked.json<Alert>()).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'ops' });
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/alerts/999999/ack', headers })).statusCode,
    ).toBe(404);

    setNow(Date.parse('2020-04-20T12:00:00Z'));
    await monitor();
    expect(await get<Alert[]>('/api/alerts?state=open')).toEqual([]);
    const [resolved] = await get<Alert[]>('/api/alerts?state=resolved');
    expect(resolved).toMatchObject({ id: stale?.id, acknowledgedBy: 'ops' });
    expect(resolved?.resolvedAt).toBe(Date.parse('2020-04-20T12:00:00Z'));
    await settle();
    expect(onBus.filter((e) => e.type === 'alert.resolved').map((e) => e.data)).toEqual([
      expect.objectContaining({
        alertId: String(stale?.id),
        rule: 'stale-data',
        resolvedAt: Date.parse('2020-04-20T12:00:00Z'),
      }),
    ]);
    const again = await h.app.inject({ method: 'POST', url, headers });
    expect(again.statusCode, again.body).toBe(409);
  });
});

describe('approvals', () => {
  it('lists held promotions and refuses to settle one that does not exist or without the key', async () => {
    expect(await get<unknown[]>('/api/approvals?state=pending')).toEqual([]);
    const url = '/api/approvals/999/approve';
    expect((await h.app.inject({ method: 'POST', url })).statusCode).toBe(401);
    const missing = await h.app.inject({ method: 'POST', url, headers, payload: { by: 'ops' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'APPROVAL_NOT_FOUND' } });
    const bad = await h.app.inject({ method: 'GET', url: '/api/approvals?state=maybe' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('GET /metrics', () => {
  it('shows drift, stale data, alerts and retrains as Prometheus series with bounded labels', async () => {
    const text = (await h.app.inject({ url: '/metrics' })).body;
    expect(text).toMatch(
      /^stockops_model_drift_share_ratio\{ticker="\^GSPC",horizon="1"\} [0-9.e-]+$/m,
    );
    expect(text).toMatch(
      /^stockops_model_drift_windows_consecutive\{ticker="\^GSPC",horizon="1"\} \d+$/m,
    );
    expect(text).toMatch(/^stockops_model_champion_version\{ticker="\^GSPC",horizon="1"\} \d+$/m);
    expect(text).toMatch(/^stockops_data_sessions_behind\{ticker="\^GSPC"\} \d+$/m);
    expect(text).toMatch(/^stockops_retrains_started_total [1-9]\d*$/m);
    expect(text).toMatch(/^# TYPE stockops_quarantined_rows_total counter$/m);
    expect(text).toMatch(/^stockops_flow_consecutive_failures\{flow="monitor"\} 0$/m);
  });
});

describe('promotion gate', () => {
  it("runs a train flow's gate holding the model's lock, so two challengers of one model are gated one at a time", async () => {
    const locks = h.rt.etl.modelLocks;
    const held: string[] = [];
    let inside = 0;
    let most = 0;
    h.rt.etl.modelLocks = {
      withLock: (model, fn, options) =>
        (locks ?? { withLock: (_m: string, f: typeof fn) => f() }).withLock(
          model,
          async () => {
            held.push(model);
            most = Math.max(most, ++inside);
            try {
              return await fn();
            } finally {
              inside--;
            }
          },
          options,
        ),
    };
    try {
      const start = () =>
        h.app.inject({
          method: 'POST',
          url: '/api/flows/train/runs',
          headers,
          payload: { ticker: '^GSPC', model: 'naive' },
        });
      const ids = (await Promise.all([start(), start()])).map((r) => r.json<{ id: string }>().id);
      const runs = await Promise.all(ids.map((id) => waitRun(id)));
      expect(runs.map((r) => r.state)).toEqual(['Completed', 'Completed']);
      expect(held).toEqual(['^GSPC.h1', '^GSPC.h1']);
      expect(most).toBe(1);
    } finally {
      h.rt.etl.modelLocks = locks;
    }
  });
});

describe('monitor on data.loaded', () => {
  const monitorRuns = () =>
    get<Run[]>('/api/flow-runs?flow=monitor&limit=200').then((runs) =>
      runs.filter((r) => r.parameters.trigger === 'data.loaded'),
    );
  const loaded = (origin: 'etl' | 'import', newBars: number, lastDate: string) =>
    makeEvent('data.loaded', {
      ticker: '^GSPC',
      origin,
      newBars,
      updatedBars: 0,
      lastDate,
      etlRunId: origin === 'etl' ? 'etl-1' : null,
      at: Date.now(),
    });

  it('starts one monitor run for the ticker of an ETL load that brought bars, once per load', async () => {
    const before = (await monitorRuns()).length;
    h.rt.events.publish(loaded('etl', 3, '2020-04-17'));
    // Delivered again (as Kafka may): the same load starts no second run.
    h.rt.events.publish(loaded('etl', 3, '2020-04-17'));
    // A person's CSV import and a load that changed nothing start none.
    h.rt.events.publish(loaded('import', 5, '2020-04-17'));
    h.rt.events.publish(loaded('etl', 0, '2020-04-16'));
    let runs: Run[] = [];
    for (let i = 0; i < 200 && runs.length <= before; i++) {
      await new Promise((r) => setTimeout(r, 25));
      runs = await monitorRuns();
    }
    await new Promise((r) => setTimeout(r, 200));
    runs = await monitorRuns();
    expect(runs).toHaveLength(before + 1);
    const run = await waitRun(runs[0]?.id ?? '');
    expect(run.parameters).toMatchObject({ tickers: ['^GSPC'], trigger: 'data.loaded' });
    expect(run.state, JSON.stringify(run.error)).toBe('Completed');
  });
});

describe('realised accuracy', () => {
  it('joins served forecasts to the close of their target date: RMSE against naive, skill, direction beside the up-rate, coverage per level, a point per window end, and the gauges', async () => {
    const champion = await h.rt.services.registry.getVersionByAlias('^GSPC.h1', 'champion');
    const bars = await h.rt.services.prices.getBars('^GSPC', { from: '2020-01-01' });
    // 30 forecasts that matured (asOf and the next bar) and one whose target date has no bar yet.
    const served = bars.slice(-31).map((b, i, all) => {
      const next = all[i + 1];
      const actual = next ? Math.log(next.adjClose / b.adjClose) : 0.01;
      const predictedReturn = actual / 2;
      const predictedClose = b.close * Math.exp(predictedReturn);
      // The 80% interval holds on even days, the 95% one always.
      const half = i % 2 === 0 ? 0.5 : 1e-9;
      return {
        forecast: {
          ticker: '^GSPC',
          horizon: 1,
          asOf: b.date,
          targetDate: next?.date ?? '2020-04-20',
          model: {
            name: '^GSPC.h1',
            version: champion?.version ?? 0,
            kind: 'ridge',
            runId: champion?.runId ?? '',
            featureSet: 'basic',
          },
          lastClose: b.close,
          predictedReturn,
          predictedClose,
          intervals: [
            { level: 0.8, lower: predictedClose * (1 - half), upper: predictedClose * (1 + half) },
            { level: 0.95, lower: 0, upper: predictedClose * 10 },
          ],
        },
        count: 1,
        firstServedAt: 1,
        lastServedAt: 1,
        actual: next ? actual : null,
      };
    });
    await h.rt.stores.forecastLog.record(served);
    setNow(Date.parse('2020-04-20T12:00:00Z'));
    const run = await monitor();
    expect(run.result).toMatchObject({ models: 1 });

    const points = await get<RealisedPointView[]>(
      '/api/monitoring/accuracy?ticker=%5Egspc&horizon=1',
    );
    expect(points).toHaveLength(1);
    const p = points[0] as RealisedPointView;
    const matured = served.filter((s) => s.actual !== null).map((s) => s.actual ?? 0);
    const rmseNaive = Math.sqrt(matured.reduce((a, r) => a + r * r, 0) / matured.length);
    expect(p).toMatchObject({
      model: '^GSPC.h1',
      version: champion?.version,
      matured: 30,
      from: served[0]?.forecast.targetDate,
      to: served[29]?.forecast.targetDate,
    });
    expect(p.rmseNaive).toBeCloseTo(rmseNaive, 12);
    // Predicting half of each move: half of naive's error.
    expect(p.rmse).toBeCloseTo(rmseNaive / 2, 12);
    expect(p.skill).toBeCloseTo(0.5, 12);
    expect(p.upRate).toBeCloseTo(matured.filter((r) => r > 0).length / 30, 12);
    expect(p.directionAccuracy).toBe(1);
    expect(p.coverage).toEqual({ '80': 0.5, '95': 1 });

    // The same window again replaces its point; a filter with no match is empty, a bad one a 400.
    await monitor();
    expect(
      await get<RealisedPointView[]>('/api/monitoring/accuracy?model=%5EGSPC.h1'),
    ).toHaveLength(1);
    expect(await get<RealisedPointView[]>('/api/monitoring/accuracy?ticker=AAPL')).toEqual([]);
    const bad = await h.app.inject({
      url: '/api/monitoring/accuracy?from=2020-05-01&to=2020-01-01',
    });
    expect(bad.statusCode).toBe(400);

    // A scrape reads the stores at most every 2 s (one snapshot shared by every metric): poll until it is fresh.
    let text = '';
    const gauge = (name: string, extra = '') =>
      Number(
        new RegExp(`^${name}\\{ticker="\\^GSPC",horizon="1"${extra}\\} (\\S+)$`, 'm').exec(
          text,
        )?.[1],
      );
    for (let i = 0; i < 100 && !(gauge('stockops_realised_matured_forecasts') > 0); i++) {
      await new Promise((r) => setTimeout(r, 100));
      text = (await h.app.inject({ url: '/metrics' })).body;
    }
    expect(gauge('stockops_realised_skill_ratio')).toBeCloseTo(0.5, 9);
    expect(gauge('stockops_realised_matured_forecasts')).toBe(30);
    expect(gauge('stockops_realised_coverage_ratio', ',level="80"')).toBe(0.5);
    expect(gauge('stockops_realised_coverage_nominal_ratio', ',level="95"')).toBe(0.95);
  });
});
