// Contracts every adapter of the monitoring ports passes (SQL on PGlite and PostgreSQL): reports and their windows, retrain decisions and the stored policy, per-model locks, alerts, quarantine counts, realised accuracy.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MONITORING_THRESHOLDS,
  DEFAULT_RETRAIN_POLICY,
  type AlertCondition,
  type AlertStore,
  type ModelLocks,
  type MonitoringReport,
  type MonitoringReportStore,
  type PriceStore,
  type QuarantineCounts,
  type RealisedAccuracyStore,
  type RealisedPoint,
  type RetrainDecisionRecord,
  type RetrainDecisionStore,
  type RetrainPolicyStore,
} from '../../src/core/index.js';

const report = (
  patch: Partial<Omit<MonitoringReport, 'id'>> = {},
): Omit<MonitoringReport, 'id'> => ({
  flowRunId: 'run-1',
  ticker: '^GSPC',
  horizon: 1,
  model: '^GSPC.h1',
  version: 1,
  createdAt: 1000,
  window: { from: '2008-01-02', to: '2008-03-31', rows: 60 },
  status: 'ok',
  featureDrift: {
    nColumns: 2,
    nTested: 2,
    nNotEnoughData: 0,
    nDrifted: 1,
    share: 0.5,
    threshold: 0.5,
    drift: true,
  },
  targetDrift: false,
  predictionDrift: null,
  message: '',
  features: {
    columns: {
      a: {
        status: 'tested',
        result: {
          kind: 'numerical',
          nRef: 100,
          nCur: 60,
          nValues: 150,
          test: 'ks',
          statistic: 0.4,
          pValue: 1e-5,
          threshold: 0.05,
          drift: true,
        },
      },
      b: { status: 'not-enough-data', nRef: 100, nCur: 3, minSamples: 30 },
    },
    summary: {
      nColumns: 2,
      nTested: 1,
      nNotEnoughData: 1,
      nDrifted: 1,
      share: 1,
      threshold: 0.5,
      drift: true,
    },
  },
  target: null,
  predictions: null,
  histograms: { a: { edges: [0, 1], reference: [1], current: [1] } },
  reference: {
    training: { from: '2004-01-02', to: '2007-06-29', rows: 800 },
    sample: { rows: 800, from: '2004-01-02', to: '2007-06-29' },
    thresholds: DEFAULT_MONITORING_THRESHOLDS,
  },
  ...patch,
});

const SUMMARY = {
  nColumns: 2,
  nTested: 2,
  nNotEnoughData: 0,
  nDrifted: 1,
  share: 0.5,
  threshold: 0.5,
  drift: true,
};

export function monitoringReportStoreContract(
  name: string,
  make: () => Promise<MonitoringReportStore>,
): void {
  describe(`MonitoringReportStore contract: ${name}`, () => {
    let store: MonitoringReportStore;
    beforeEach(async () => {
      store = await make();
    });

    it('keeps a whole report and lists summaries newest first, by ticker and horizon', async () => {
      const a = await store.save(report());
      const b = await store.save(report({ horizon: 5, model: '^GSPC.h5' }));
      expect(await store.get(a.id)).toEqual(a);
      expect(await store.get(a.id + 1000)).toBeNull();
      const all = await store.list({});
      expect(all.map((r) => r.id)).toEqual([b.id, a.id]);
      expect(all[1]).not.toHaveProperty('features');
      expect(all[1]).toMatchObject({ window: a.window, featureDrift: a.featureDrift });
      expect((await store.list({ ticker: '^GSPC', horizon: 5 })).map((r) => r.id)).toEqual([b.id]);
      expect(await store.list({ ticker: 'AAPL' })).toEqual([]);
    });

    it("gives a version's windows newest first, the latest report of each window end, verdicts only", async () => {
      const d = (to: string, drift: boolean, patch: Partial<MonitoringReport> = {}) =>
        store.save(
          report({
            window: { from: '2008-01-02', to, rows: 60 },
            featureDrift: { ...SUMMARY, drift },
            ...patch,
          }),
        );
      await d('2008-03-03', true);
      await d('2008-03-04', false);
      const rerun = await d('2008-03-04', true);
      await d('2008-03-05', true, { status: 'no-reference', featureDrift: null });
      await d('2008-03-06', true, { version: 2 });
      const w = await store.windows('^GSPC.h1', 1, 10);
      expect(w).toEqual([
        { windowTo: '2008-03-04', reportId: rerun.id, drift: true },
        { windowTo: '2008-03-03', reportId: expect.any(Number) as number, drift: true },
      ]);
      expect(await store.windows('^GSPC.h1', 1, 1)).toHaveLength(1);
    });
  });
}

const decision = (
  patch: Partial<Omit<RetrainDecisionRecord, 'id'>> = {},
): Omit<RetrainDecisionRecord, 'id'> => ({
  model: '^GSPC.h1',
  ticker: '^GSPC',
  horizon: 1,
  version: 1,
  decidedAt: 1000,
  retrain: false,
  rule: null,
  fired: [],
  suppressedBy: null,
  reason: 'no rule fired',
  numbers: { driftWindows: 0 },
  reportId: null,
  monitorRunId: null,
  trainRunId: null,
  ...patch,
});

export function retrainStoresContract(
  name: string,
  make: () => Promise<{ decisions: RetrainDecisionStore; policy: RetrainPolicyStore }>,
): void {
  describe(`RetrainDecisionStore and RetrainPolicyStore contract: ${name}`, () => {
    let s: { decisions: RetrainDecisionStore; policy: RetrainPolicyStore };
    beforeEach(async () => {
      s = await make();
    });

    it('records every decision with its rule and numbers, newest first, by model', async () => {
      const a = await s.decisions.record(decision());
      const b = await s.decisions.record(
        decision({
          decidedAt: 2000,
          retrain: true,
          rule: 'drift',
          fired: ['drift', 'age'],
          numbers: { driftWindows: 3, ageDays: 91.5 },
          reportId: 7,
          monitorRunId: 'm1',
        }),
      );
      await s.decisions.record(decision({ model: 'AAPL.h1', ticker: 'AAPL' }));
      expect(await s.decisions.list({ model: '^GSPC.h1' })).toEqual([b, a]);
      expect(await s.decisions.list({ retrainsOnly: true })).toEqual([b]);
      expect(await s.decisions.list({ limit: 1 })).toHaveLength(1);
      await s.decisions.setTrainRun(b.id, 'train-9');
      expect((await s.decisions.list({ retrainsOnly: true }))[0]?.trainRunId).toBe('train-9');
    });

    it('counts the retrains started since a time, all models', async () => {
      await s.decisions.record(decision({ retrain: true, decidedAt: 100 }));
      await s.decisions.record(decision({ retrain: true, decidedAt: 200, model: 'A.h1' }));
      await s.decisions.record(decision({ retrain: false, decidedAt: 300 }));
      expect(await s.decisions.countRetrainsSince(150)).toBe(1);
      expect(await s.decisions.countRetrainsSince(0)).toBe(2);
    });

    it('stores one policy, replaced on save', async () => {
      expect(await s.policy.get()).toBeNull();
      await s.policy.save({ ...DEFAULT_RETRAIN_POLICY, cooldownDays: 30 }, 'api', 5);
      const saved = await s.policy.save({ ...DEFAULT_RETRAIN_POLICY, maxAgeDays: null }, 'ops', 6);
      expect(await s.policy.get()).toEqual(saved);
      expect(saved).toMatchObject({
        updatedAt: 6,
        updatedBy: 'ops',
        settings: { maxAgeDays: null },
      });
    });
  });
}

export function modelLocksContract(name: string, make: () => Promise<ModelLocks>): void {
  describe(`ModelLocks contract: ${name}`, () => {
    let locks: ModelLocks;
    beforeEach(async () => {
      locks = await make();
    });

    it('lets one holder of a model in at a time, and others of other models at once', async () => {
      const events: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const first = locks.withLock('M.h1', async () => {
        events.push('first in');
        await gate;
        events.push('first out');
      });
      await new Promise((r) => setTimeout(r, 50));
      const second = locks.withLock('M.h1', () => {
        events.push('second in');
        return Promise.resolve();
      });
      await locks.withLock('N.h1', () => {
        events.push('other model');
        return Promise.resolve();
      });
      release();
      await Promise.all([first, second]);
      expect(events).toEqual(['first in', 'other model', 'first out', 'second in']);
    });

    it('releases the lock when the holder throws, and times out a waiter naming the lock', async () => {
      await expect(locks.withLock('M.h1', () => Promise.reject(new Error('boom')))).rejects.toThrow(
        'boom',
      );
      await locks.withLock('M.h1', () => Promise.resolve());
      let release!: () => void;
      const held = locks.withLock(
        'M.h1',
        () =>
          new Promise<void>((r) => {
            release = r;
          }),
      );
      await new Promise((r) => setTimeout(r, 50));
      await expect(
        locks.withLock('M.h1', () => Promise.resolve(), { waitMs: 200 }),
      ).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
      release();
      await held;
    });

    it('keeps a lock held past its lease while the holder renews it', async () => {
      let release!: () => void;
      // A holder whose lease (100 ms) is renewed: still held after 300 ms.
      const held = locks.withLock(
        'M.h1',
        () =>
          new Promise<void>((r) => {
            release = r;
          }),
        { leaseMs: 100 },
      );
      await new Promise((r) => setTimeout(r, 300));
      await expect(
        locks.withLock('M.h1', () => Promise.resolve(), { waitMs: 50 }),
      ).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
      release();
      await held;
    });
  });
}

const condition = (patch: Partial<AlertCondition> = {}): AlertCondition => ({
  key: 'drift:^GSPC.h1',
  rule: 'drift',
  severity: 'warning',
  ticker: '^GSPC',
  horizon: 1,
  message: 'drift in 3 windows',
  value: 3,
  threshold: 3,
  ...patch,
});

export function alertStoreContract(name: string, make: () => Promise<AlertStore>): void {
  describe(`AlertStore contract: ${name}`, () => {
    let alerts: AlertStore;
    beforeEach(async () => {
      alerts = await make();
    });

    it('raises a condition once and keeps it up to date while it holds', async () => {
      const first = await alerts.raise(condition(), 10);
      expect(first).toMatchObject({ created: true, alert: { state: 'active', raisedAt: 10 } });
      const again = await alerts.raise(condition({ message: 'drift in 4 windows', value: 4 }), 20);
      expect(again).toMatchObject({
        created: false,
        alert: { id: first.alert.id, raisedAt: 10, lastSeenAt: 20, value: 4 },
      });
      const both = await Promise.all([
        alerts.raise(condition({ key: 'k2' }), 30),
        alerts.raise(condition({ key: 'k2' }), 30),
      ]);
      expect(both.filter((r) => r.created)).toHaveLength(1);
      expect(await alerts.list({ state: 'open' })).toHaveLength(2);
    });

    it('acknowledges an active alert, keeps it open, and raises it anew once resolved', async () => {
      const { alert } = await alerts.raise(condition(), 10);
      const acked = await alerts.acknowledge(alert.id, 'ops', 15);
      expect(acked).toMatchObject({
        state: 'acknowledged',
        acknowledgedBy: 'ops',
        acknowledgedAt: 15,
      });
      expect(await alerts.acknowledge(alert.id, 'other', 16)).toMatchObject({
        acknowledgedBy: 'ops',
      });
      expect((await alerts.raise(condition(), 20)).alert.state).toBe('acknowledged');
      expect(await alerts.resolve(alert.id, 30)).toMatchObject({
        state: 'resolved',
        resolvedAt: 30,
      });
      expect(await alerts.resolve(alert.id, 31)).toBeNull();
      expect(await alerts.acknowledge(alert.id, 'ops', 32)).toBeNull();
      const anew = await alerts.raise(condition(), 40);
      expect(anew.created).toBe(true);
      expect(anew.alert.id).not.toBe(alert.id);
      expect((await alerts.list({ state: 'resolved' })).map((a) => a.id)).toEqual([alert.id]);
      expect((await alerts.list({})).map((a) => a.id)).toEqual([anew.alert.id, alert.id]);
      expect(await alerts.get(alert.id)).toMatchObject({ state: 'resolved' });
      expect(await alerts.get(999_999)).toBeNull();
    });
  });
}

export function quarantineCountsContract(
  name: string,
  make: () => Promise<{ counts: QuarantineCounts; prices: PriceStore }>,
): void {
  describe(`QuarantineCounts contract: ${name}`, () => {
    it('counts the rows quarantined since a time, per ticker', async () => {
      const { counts, prices } = await make();
      const before = Date.now() - 1000;
      const rows = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ line: i + 2, reason: 'bad', raw: `row ${i}` }));
      await prices.addQuarantine('AAA', rows(3), 'csv');
      await prices.addQuarantine('BBB', rows(1), 'yahoo');
      expect(await counts.countSince(before)).toEqual([
        { ticker: 'AAA', rows: 3 },
        { ticker: 'BBB', rows: 1 },
      ]);
      expect(await counts.countSince(Date.now() + 60_000)).toEqual([]);
    });
  });
}

const point = (patch: Partial<RealisedPoint> = {}): RealisedPoint => ({
  ticker: '^GSPC',
  horizon: 1,
  model: '^GSPC.h1',
  version: 2,
  from: '2020-01-02',
  to: '2020-03-31',
  matured: 60,
  rmse: 0.01,
  rmseNaive: 0.012,
  skill: 1 / 6,
  directionAccuracy: 0.55,
  upRate: 0.52,
  coverage: { '80': 0.8, '95': 0.95 },
  computedAt: 1000,
  monitorRunId: 'run-1',
  ...patch,
});

export function realisedStoreContract(
  name: string,
  make: () => Promise<RealisedAccuracyStore>,
): void {
  describe(`RealisedAccuracyStore contract: ${name}`, () => {
    let store: RealisedAccuracyStore;
    beforeEach(async () => {
      store = await make();
    });

    it('keeps one point per model version and window end, newest window first, every number back', async () => {
      await store.save(point());
      await store.save(point({ to: '2020-04-01', matured: 61, monitorRunId: null }));
      // The same window computed again replaces its point.
      await store.save(point({ matured: 59, skill: -0.25, computedAt: 2000 }));
      await store.save(point({ version: 3, to: '2020-04-02' }));
      await store.save(point({ ticker: 'AAPL', model: 'AAPL.h1', to: '2020-04-03' }));
      const v2 = await store.list({ model: '^GSPC.h1', version: 2, limit: 10 });
      expect(v2.map((p) => [p.to, p.matured])).toEqual([
        ['2020-04-01', 61],
        ['2020-03-31', 59],
      ]);
      expect(v2[1]).toEqual(point({ matured: 59, skill: -0.25, computedAt: 2000 }));
      expect(v2[0]?.monitorRunId).toBeNull();
      const gspc = await store.list({ ticker: '^GSPC', horizon: 1, limit: 10 });
      expect(gspc.map((p) => `${p.version}@${p.to}`)).toEqual([
        '3@2020-04-02',
        '2@2020-04-01',
        '2@2020-03-31',
      ]);
      expect(await store.list({ from: '2020-04-02', to: '2020-04-03', limit: 10 })).toHaveLength(2);
      expect(await store.list({ ticker: '^GSPC', limit: 1 })).toHaveLength(1);
      expect(await store.list({ horizon: 5, limit: 10 })).toEqual([]);
    });
  });
}
