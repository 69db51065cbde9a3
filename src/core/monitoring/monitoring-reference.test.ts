// A model version's monitoring reference, the live feature window, and the drift of a window with its minimum sample size.
import { describe, expect, it } from 'vitest';
import { toSeries } from '../data/index.js';
import { buildDataset, getFeatureSet } from '../features/index.js';
import { randomWalkBars } from '../testing/index.js';
import {
  DEFAULT_MONITORING_THRESHOLDS,
  buildMonitoringReference,
  columnDrift,
  columnReference,
  driftSection,
  evenlySpaced,
  featureWindow,
  histogramPair,
  readMonitoringReference,
  type MonitoringThresholds,
} from './index.js';

const thresholds = (patch: Partial<MonitoringThresholds> = {}): MonitoringThresholds => ({
  ...DEFAULT_MONITORING_THRESHOLDS,
  ...patch,
});

describe('evenlySpaced', () => {
  it('keeps every row of a short window and spreads a long one from its first row to its last', () => {
    expect(evenlySpaced(3, 5)).toEqual([0, 1, 2]);
    expect(evenlySpaced(11, 3)).toEqual([0, 5, 10]);
    expect(evenlySpaced(1000, 1)).toEqual([999]);
    const idx = evenlySpaced(5000, 1000);
    expect(idx).toHaveLength(1000);
    expect(new Set(idx).size).toBe(1000);
    expect(idx[0]).toBe(0);
    expect(idx.at(-1)).toBe(4999);
  });
});

describe('driftSection', () => {
  const ref = { a: columnReference(Float64Array.from({ length: 200 }, (_, i) => i / 200)) };

  it('reports a column with fewer current values than minSamples as not enough data, never as drift', () => {
    const cur = { a: Float64Array.from([5, 6, 7, Number.NaN, Number.NaN]) };
    const s = driftSection(ref, cur, thresholds({ minSamples: 10 }));
    expect(s.columns.a).toEqual({ status: 'not-enough-data', nRef: 200, nCur: 3, minSamples: 10 });
    expect(s.summary).toMatchObject({ nTested: 0, nNotEnoughData: 1, nDrifted: 0, drift: false });
  });

  it('never hands the engine an empty column (which it refuses), on either side', () => {
    const empty = { a: columnReference(new Float64Array(0)), b: ref.a };
    const s = driftSection(
      empty,
      { a: new Float64Array(50), b: new Float64Array(0) },
      thresholds(),
    );
    expect(s.columns.a?.status).toBe('not-enough-data');
    expect(s.columns.b?.status).toBe('not-enough-data');
  });

  it("gives the engine's own verdict once both sides have enough values, with the column's threshold", () => {
    const cur = { a: Float64Array.from({ length: 60 }, (_, i) => 0.5 + i / 120) };
    const s = driftSection(ref, cur, thresholds());
    const direct = columnDrift(ref.a, cur.a, { psi: true });
    expect(s.columns.a).toMatchObject({
      status: 'tested',
      result: { test: 'ks', drift: direct.drift, pValue: direct.pValue },
    });
    expect(direct.drift).toBe(true);
    expect(s.summary).toMatchObject({ nTested: 1, nDrifted: 1, share: 1, drift: true });
    const lenient = driftSection(ref, cur, thresholds({ columns: { a: { threshold: 1e-30 } } }));
    expect(lenient.columns.a).toMatchObject({ status: 'tested', result: { drift: false } });
  });

  it('counts the share over tested columns only', () => {
    const two = { a: ref.a, b: ref.a };
    const cur = {
      a: Float64Array.from({ length: 60 }, (_, i) => 0.5 + i / 120),
      b: new Float64Array(3),
    };
    const s = driftSection(two, cur, thresholds());
    expect(s.summary).toMatchObject({
      nColumns: 2,
      nTested: 1,
      nDrifted: 1,
      share: 1,
      drift: true,
    });
  });
});

describe('histogramPair', () => {
  it('puts both sides on the same equal-width bins, as shares', () => {
    const r = columnReference(Float64Array.from([0, 0, 1, 1]));
    const h = histogramPair(r, [1, 1, 2, 2], 2);
    expect(h.edges).toEqual([0, 1, 2]);
    expect(h.reference).toEqual([0.5, 0.5]);
    expect(h.current).toEqual([0, 1]);
  });

  it('has one bin around a single value and nothing for an empty column', () => {
    expect(histogramPair(columnReference([3, 3]), [3]).reference).toEqual([1]);
    expect(histogramPair(columnReference(new Float64Array(0)), [])).toEqual({
      edges: [],
      reference: [],
      current: [],
    });
  });
});

describe('monitoring reference', () => {
  const bars = randomWalkBars(900, 7);
  const set = getFeatureSet('alpha@1');
  const built = buildDataset(toSeries('T', bars), set, 1);

  it('samples at most maxRows training rows, spread over the whole training window', () => {
    const ref = buildMonitoringReference({
      ticker: 'T',
      horizon: 1,
      model: 'naive',
      labeled: built.labeled,
      predict: (ds) => new Float64Array(ds.nRows),
      outOfSample: [0.01, -0.02, 0.003],
      maxRows: 100,
    });
    expect(ref.sample).toEqual({
      method: 'evenly-spaced',
      rows: 100,
      from: built.labeled.dates[0],
      to: built.labeled.dates.at(-1),
    });
    expect(ref.training.rows).toBe(built.labeled.nRows);
    expect(Object.keys(ref.features.columns)).toEqual(set.features.map((f) => f.name));
    expect(ref.target.n).toBe(100);
    expect(ref.predictions.outOfSample.n).toBe(3);
    expect(ref.thresholds).toEqual(DEFAULT_MONITORING_THRESHOLDS);
  });

  it('survives JSON (no NaN left in it) and is read back; another format is refused', () => {
    const ref = buildMonitoringReference({
      ticker: 'T',
      horizon: 1,
      model: 'naive',
      labeled: built.labeled,
      predict: (ds) => new Float64Array(ds.nRows),
      outOfSample: [],
    });
    const text = JSON.stringify(ref);
    expect(text).not.toContain('null');
    expect(readMonitoringReference(JSON.parse(text))).toEqual(ref);
    expect(() => readMonitoringReference({ ...ref, format: 'x' })).toThrow(/format "x"/);
  });

  it('gives the same verdicts from its stored statistics as from the sampled rows themselves', () => {
    const ref = buildMonitoringReference({
      ticker: 'T',
      horizon: 1,
      model: 'naive',
      labeled: built.labeled,
      predict: (ds) => new Float64Array(ds.nRows),
      outOfSample: [],
      maxRows: 300,
    });
    const window = featureWindow(toSeries('T', bars), set, 1, 60);
    const stored = driftSection(ref.features.columns, window.columns, ref.thresholds);
    for (const [name, v] of Object.entries(stored.columns)) {
      if (v.status === 'tested') {
        expect(v.result.nRef, name).toBe(300);
      }
    }
    expect(stored.summary.nTested).toBeGreaterThan(60);
  });
});

describe('featureWindow', () => {
  const bars = randomWalkBars(300, 3);
  const series = toSeries('T', bars);
  const set = getFeatureSet('alpha@1');

  it("holds the last rows with the training rows' feature values, and their returns while known", () => {
    const w = featureWindow(series, set, 5, 40);
    expect(w.dates).toEqual(bars.slice(-40).map((b) => b.date));
    const built = buildDataset(series, set, 5);
    // A labeled training row of the same date has the same features, bit for bit.
    const r = built.labeled.dates.indexOf(w.dates[0] ?? '');
    expect(r).toBeGreaterThan(0);
    for (let c = 0; c < set.features.length; c++) {
      const a = w.rows.X[c] as number;
      const b = built.labeled.X[r * built.labeled.nCols + c] as number;
      expect(Number.isNaN(a) ? 'NaN' : a).toEqual(Number.isNaN(b) ? 'NaN' : b);
    }
    expect(w.returns[0]).toBeCloseTo(built.labeled.y?.[r] ?? Number.NaN, 12);
    expect([...w.returns.slice(-5)].every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(w.returns[34] ?? Number.NaN)).toBe(false);
  });

  it('never reaches into the look-back: a short series gives fewer rows', () => {
    const w = featureWindow(toSeries('T', bars.slice(0, set.lookback + 10)), set, 1, 60);
    expect(w.rows.nRows).toBe(10);
  });
});
