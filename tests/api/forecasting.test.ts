// Prediction intervals, forecast paths and tracked tuning through app.inject() (embedded PGlite in memory, bundled S&P 500).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdaptiveConformal,
  addDays,
  nyseCalendar,
  volatilityForecast,
  type ConformalState,
  type JobInfo,
  type ModelJson,
} from '../../src/core/index.js';
import { randomWalkBars } from '../../src/core/testing/index.js';
import { csv, harness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
});

const get = (url: string) => h.app.inject({ method: 'GET', url });

async function train(body: object): Promise<JobInfo> {
  const res = await h.app.inject({ method: 'POST', url: '/api/train', payload: body });
  expect(res.statusCode, res.body).toBe(202);
  const id = res.json<{ jobId: string }>().jobId;
  for (;;) {
    const job = (await get(`/api/jobs/${id}`)).json<JobInfo>();
    if (job.status === 'completed' || job.status === 'failed') {
      return job;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Interval {
  level: number;
  lower: number;
  upper: number;
}

describe('GET /api/predict intervals', () => {
  it('returns 80% and 95% conformal intervals around the predicted close, the 95% one wider', async () => {
    const p = (await get('/api/predict?ticker=%5EGSPC&horizon=1')).json<{
      predictedClose: number;
      interval: Interval[];
      model: { featureSet: string; metrics: Record<string, number> };
    }>();
    expect(p.interval.map((i) => i.level)).toEqual([0.8, 0.95]);
    const [i80, i95] = p.interval;
    expect(i80?.lower).toBeLessThan(p.predictedClose);
    expect(i80?.upper).toBeGreaterThan(p.predictedClose);
    expect((i95?.upper ?? 0) - (i95?.lower ?? 0)).toBeGreaterThan(
      (i80?.upper ?? 0) - (i80?.lower ?? 0),
    );
    expect(p.model.featureSet).toBe('alpha@1');
    // The walk-forward coverage of the served version is within 2 points of nominal.
    expect(Math.abs((p.model.metrics.coverage80 ?? 0) - 0.8)).toBeLessThan(0.02);
    expect(Math.abs((p.model.metrics.coverage95 ?? 0) - 0.95)).toBeLessThan(0.02);
    // Right after the 2020 crash the 95% interval stays in proportion to the 80% one (it was 6.7 times
    // as wide when the adaptive level could run away).
    const hw = p.interval.map((i) => Math.log(i.upper / p.predictedClose));
    expect((hw[1] ?? 0) / (hw[0] ?? 1)).toBeLessThanOrEqual(2.5);
    expect(hw[1] ?? 0).toBeLessThan(0.15);
  });

  it('serves h = 5 and 20 after the first start without training by hand, naive when nothing beats it, and says why', async () => {
    for (const horizon of [5, 20]) {
      const res = await get(`/api/predict?ticker=%5EGSPC&horizon=${horizon}`);
      expect(res.statusCode, res.body).toBe(200);
      const p = res.json<{
        interval: Interval[];
        model: { kind: string; servedBecause: string; metrics: Record<string, number> };
      }>();
      expect(p.interval).toHaveLength(2);
      // Ridge's skill is negative at 5 and 20 days on this sample: naive serves, with its reason.
      expect(p.model.kind).toBe('naive');
      expect(p.model.servedBecause).toMatch(/naive is the floor/);
      expect(p.model.metrics.skill).toBe(0);
    }
  });
});

interface PathPoint {
  day: number;
  date: string;
  predictedReturn: number;
  predictedClose: number;
  interval: Interval[];
  source: string;
}

interface ForecastBody {
  asOf: string;
  lastClose: number;
  models: { horizon: number; kind: string; servedBecause?: string }[];
  missingHorizons: number[];
  path: PathPoint[];
}

const halfWidth = (p: { predictedClose: number; interval: Interval[] }, k: number) =>
  Math.log((p.interval[k]?.upper ?? 0) / p.predictedClose);

describe('GET /api/forecast', () => {
  it('serves 20 trading days from the champions of h = 1, 5 and 20 after the first start, interpolating between them and never extrapolating', async () => {
    const res = await get('/api/forecast?ticker=%5EGSPC&days=20');
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json<ForecastBody>();
    expect(f.asOf).toBe('2020-04-17');
    expect(f.models.map((m) => m.horizon)).toEqual([1, 5, 20]);
    expect(f.missingHorizons).toEqual([]);
    expect(f.path).toHaveLength(20);
    expect(f.path.slice(0, 7).map((p) => p.date)).toEqual([
      '2020-04-20',
      '2020-04-21',
      '2020-04-22',
      '2020-04-23',
      '2020-04-24',
      '2020-04-27',
      '2020-04-28',
    ]);
    expect(f.path.every((p) => nyseCalendar.isTradingDay(p.date))).toBe(true);
    expect(f.path.map((p) => p.source)).toEqual(
      f.path.map((p) => ([1, 5, 20].includes(p.day) ? 'model' : 'interpolated')),
    );
    // Each anchor is exactly what /api/predict serves for its horizon.
    type Served = { predictedReturn: number; predictedClose: number; interval: Interval[] };
    const at = new Map<number, Served>();
    for (const horizon of [1, 5, 20]) {
      const p = (await get(`/api/predict?ticker=%5EGSPC&horizon=${horizon}`)).json<Served>();
      at.set(horizon, p);
      expect(f.path[horizon - 1]?.predictedClose).toBe(p.predictedClose);
      expect(f.path[horizon - 1]?.interval).toEqual(p.interval);
    }
    // Between anchors the return is interpolated, never a straight line from a shorter horizon.
    const r5 = at.get(5)?.predictedReturn ?? 0;
    const r20 = at.get(20)?.predictedReturn ?? 0;
    for (const p of f.path.filter((x) => x.day > 5 && x.day < 20)) {
      expect(p.predictedReturn).toBeCloseTo(r5 + ((r20 - r5) * (p.day - 5)) / 15, 12);
      const u = (Math.sqrt(p.day) - Math.sqrt(5)) / (Math.sqrt(20) - Math.sqrt(5));
      const hw5 = halfWidth(at.get(5) ?? p, 0);
      const hw20 = halfWidth(at.get(20) ?? p, 0);
      expect(halfWidth(p, 0)).toBeCloseTo(hw5 + (hw20 - hw5) * u, 9);
    }
    const widths = f.path.map((p) => (p.interval[1]?.upper ?? 0) - (p.interval[1]?.lower ?? 0));
    for (let i = 1; i < widths.length; i++) {
      expect(widths[i] ?? 0).toBeGreaterThan(widths[i - 1] ?? 0);
    }
  });

  it('past the longest horizon with a champion, follows naive with its own widths scaled by sqrt(days), and names the missing horizons', async () => {
    const rows = randomWalkBars(1500, 21).map(
      (b) => `${b.date},${b.open},${b.high},${b.low},${b.close},${b.adjClose},${b.volume}`,
    );
    const imp = await h.app.inject({
      method: 'POST',
      url: '/api/import?ticker=RWALK',
      payload: csv(rows),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imp.statusCode, imp.body).toBe(200);
    const job = await train({ ticker: 'RWALK', model: 'ridge', horizon: 1 });
    expect(job.status, JSON.stringify(job.error)).toBe('completed');
    const f = (await get('/api/forecast?ticker=RWALK&days=6')).json<ForecastBody>();
    expect(f.models.map((m) => m.horizon)).toEqual([1]);
    expect(f.missingHorizons).toEqual([5, 20]);
    expect(f.path.map((p) => p.source)).toEqual([
      'model',
      'naive',
      'naive',
      'naive',
      'naive',
      'naive',
    ]);
    const naiveDays = f.path.slice(1);
    for (const p of naiveDays) {
      expect(p.predictedReturn).toBe(0);
      expect(p.predictedClose).toBe(f.lastClose);
      for (const k of [0, 1]) {
        expect(halfWidth(p, k) / Math.sqrt(p.day)).toBeCloseTo(
          halfWidth(naiveDays[0] ?? p, k) / Math.sqrt(2),
          9,
        );
      }
    }
    // The widths are naive's own at h = 1: those of the registered naive version, the floor.
    const models = (await get('/api/models')).json<
      { name: string; versions: { version: number; tags: Record<string, string> }[] }[]
    >();
    const rw = models.find((m) => m.name === 'RWALK.h1');
    expect(rw?.versions.map((v) => v.tags.kind).sort()).toEqual(['naive', 'ridge']);
    expect((await get('/api/predict?ticker=RWALK&horizon=5')).statusCode).toBe(404);
  });

  it('refuses days outside 1..20 naming the field, and unknown tickers with 404', async () => {
    for (const days of ['0', '21', 'x']) {
      const res = await get(`/api/forecast?ticker=%5EGSPC&days=${days}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'days' } });
    }
    expect((await get('/api/forecast?ticker=NOPE&days=3')).statusCode).toBe(404);
  });
});

describe('training with tuning', () => {
  it('tracks each tuning trial as a child run of the training run, and records the feature set in the model', async () => {
    const job = await train({ ticker: '^GSPC', model: 'ridge', horizon: 20 });
    expect(job.status, JSON.stringify(job.error)).toBe('completed');
    const { runId, metrics } = job.result as {
      runId: string;
      metrics: { coverage: Record<string, number> };
    };
    expect(Object.keys(metrics.coverage)).toEqual(['80', '95']);
    const tracker = h.rt.services.tracker;
    const children = await tracker.searchRuns({ tags: { 'mlflow.parentRunId': runId } });
    expect(children).toHaveLength(7);
    expect(children.map((c) => c.params.alpha).sort()).toEqual(
      ['0.1', '1', '10', '100', '1000', '10000', '100000'].sort(),
    );
    const chosen = children.reduce((s, c) => s + (c.metrics.chosen_folds ?? 0), 0);
    const parent = await tracker.getRun(runId);
    expect(chosen).toBe((parent.metrics.folds ?? 0) + 1);
    expect(parent.params).toMatchObject({ feature_set: 'alpha@1', 'wf.purge': '20' });
    const model = JSON.parse(
      new TextDecoder().decode(await tracker.getArtifact(runId, 'model/model.json')),
    ) as ModelJson;
    expect(model).toMatchObject({ formatVersion: 2, featureSet: 'alpha@1', horizon: 20 });
  });
});

describe('online calibration', () => {
  it('folds in outcomes that arrived after training before issuing the live interval, scaled by the live volatility', async () => {
    type P = { interval: Interval[]; predictedClose: number; asOf: string; modelVersion: number };
    const halfWidths = (p: P) => p.interval.map((i) => Math.log(i.upper / p.predictedClose));
    const adjCloses = async () =>
      Float64Array.from(
        (await get('/api/tickers/%5EGSPC/history')).json<{ bars: { adjClose: number }[] }>().bars,
        (b) => b.adjClose,
      );
    const before = (await get('/api/predict?ticker=%5EGSPC&horizon=1')).json<
      P & { model: { runId: string; intervalMethod: string } }
    >();
    expect(before.model.intervalMethod).toBe('volatility');
    const stored = JSON.parse(
      new TextDecoder().decode(
        await h.rt.services.tracker.getArtifact(before.model.runId, 'model/conformal.json'),
      ),
    ) as ConformalState;
    expect(stored).toMatchObject({ method: 'volatility', horizon: 1 });
    // Nothing new since training: the stored calibrator is used as it is, at today's volatility.
    const sigma = volatilityForecast(await adjCloses(), 1).at(-1) ?? 0;
    const fromStore = AdaptiveConformal.fromJSON(stored).halfWidths(sigma) ?? [];
    halfWidths(before).forEach((w, k) => {
      expect(w).toBeCloseTo(fromStore[k] ?? 0, 12);
    });
    const rows: string[] = [];
    let d = '2020-04-17';
    let close = 2874.560059;
    for (let i = 0; i < 10; i++) {
      do {
        d = addDays(d, 1);
      } while (!nyseCalendar.isTradingDay(d));
      close *= i % 2 === 0 ? 1.004 : 0.997;
      rows.push(`${d},${close},${close * 1.001},${close * 0.999},${close},${close},1000000`);
    }
    const imp = await h.app.inject({
      method: 'POST',
      url: '/api/import?ticker=%5EGSPC',
      payload: csv(rows),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imp.statusCode, imp.body).toBe(200);
    const after = (await get('/api/predict?ticker=%5EGSPC&horizon=1')).json<P>();
    expect(after.asOf).toBe(d);
    expect(after.modelVersion).toBe(before.modelVersion);
    // Nine calm outcomes were folded in (the tenth has no label yet) and today's volatility is lower:
    // the intervals narrow; the served version itself is unchanged.
    const [w80, w95] = halfWidths(after);
    expect(w80).toBeLessThan(fromStore[0] ?? 0);
    expect(w95).toBeLessThan(fromStore[1] ?? 0);
  });
});
