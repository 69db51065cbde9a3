// Prediction intervals, forecast paths and tracked tuning through app.inject() (embedded PGlite in memory, bundled S&P 500).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdaptiveConformal,
  addDays,
  nyseCalendar,
  type ConformalState,
  type JobInfo,
  type ModelJson,
} from '../../src/core/index.js';
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
    // The walk-forward coverage of the served version is within 3 points of nominal.
    expect(Math.abs((p.model.metrics.coverage80 ?? 0) - 0.8)).toBeLessThan(0.03);
    expect(Math.abs((p.model.metrics.coverage95 ?? 0) - 0.95)).toBeLessThan(0.03);
  });
});

describe('GET /api/forecast', () => {
  it('returns a path of N trading days with intervals, interpolating between the horizons with models', async () => {
    const job = await train({ ticker: '^GSPC', model: 'drift', horizon: 5 });
    expect(job.status, JSON.stringify(job.error)).toBe('completed');
    const res = await get('/api/forecast?ticker=%5EGSPC&days=7');
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json<{
      asOf: string;
      models: { horizon: number }[];
      path: {
        day: number;
        date: string;
        predictedClose: number;
        interval: Interval[];
        source: string;
      }[];
    }>();
    expect(f.asOf).toBe('2020-04-17');
    expect(f.models.map((m) => m.horizon)).toEqual([1, 5]);
    expect(f.path.map((p) => p.date)).toEqual([
      '2020-04-20',
      '2020-04-21',
      '2020-04-22',
      '2020-04-23',
      '2020-04-24',
      '2020-04-27',
      '2020-04-28',
    ]);
    expect(f.path.every((p) => nyseCalendar.isTradingDay(p.date))).toBe(true);
    expect(f.path.map((p) => p.source)).toEqual([
      'model',
      'interpolated',
      'interpolated',
      'interpolated',
      'model',
      'interpolated',
      'interpolated',
    ]);
    const widths = f.path.map((p) => (p.interval[0]?.upper ?? 0) - (p.interval[0]?.lower ?? 0));
    for (let i = 1; i < widths.length; i++) {
      expect(widths[i] ?? 0).toBeGreaterThan(widths[i - 1] ?? 0);
    }
    const h5 = (await get('/api/predict?ticker=%5EGSPC&horizon=5')).json<{
      predictedClose: number;
      interval: Interval[];
    }>();
    expect(f.path[4]?.predictedClose).toBe(h5.predictedClose);
    expect(f.path[4]?.interval).toEqual(h5.interval);
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
  it('folds in outcomes that arrived after training before issuing the live interval', async () => {
    type P = { interval: Interval[]; predictedClose: number; asOf: string; modelVersion: number };
    const halfWidths = (p: P) => p.interval.map((i) => Math.log(i.upper / p.predictedClose));
    const before = (await get('/api/predict?ticker=%5EGSPC&horizon=1')).json<
      P & { model: { runId: string } }
    >();
    const stored = JSON.parse(
      new TextDecoder().decode(
        await h.rt.services.tracker.getArtifact(before.model.runId, 'model/conformal.json'),
      ),
    ) as ConformalState;
    const fromStore = AdaptiveConformal.fromJSON(stored).halfWidths() ?? [];
    // Nothing new since training: the stored calibrator is used as it is.
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
    expect(after.modelVersion).toBe(1);
    // Nine calm outcomes were folded in (the tenth has no label yet): covered, so alpha rises and
    // the intervals narrow; the served version itself is unchanged.
    const [w80, w95] = halfWidths(after);
    expect(w80).toBeLessThan(fromStore[0] ?? 0);
    expect(w95).toBeLessThan(fromStore[1] ?? 0);
  });
});
