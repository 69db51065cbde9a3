// Drift of a monitoring window against stored reference statistics: the drift engine per column, with a minimum sample size below which a column is "not enough data" instead of a verdict.
// The engine itself refuses an empty column and would give a verdict on three values; a monitor that runs
// on whatever rows a window holds must do neither, so a column with fewer finite values than `minSamples`
// on either side is reported as such and never counts as drift, nor in the share of drifted columns.
import {
  DEFAULT_DRIFT_SHARE,
  columnDrift,
  columnDriftToJSON,
  type ColumnDriftJson,
  type DriftTestChoice,
} from './drift.js';
import type { ColumnReference } from './reference-stats.js';
import type { ColumnValues } from './samples.js';

/**
 * The drift settings a model version is monitored with; stored in its reference beside the statistics,
 * so a change of threshold is a new version of the settings, never a silent re-reading of old reports.
 */
export interface MonitoringThresholds {
  /** Fewest finite values on each side for a verdict; below it a column is "not enough data". @defaultValue 30 */
  minSamples: number;
  /** Share of tested columns at or above which the window drifts (Evidently's drift_share). @defaultValue 0.5 */
  driftShare: number;
  /** Test and threshold per column name; unset columns follow Evidently's defaults. @defaultValue {} */
  columns: Record<string, DriftTestChoice>;
  /** Report PSI beside each numerical test (never part of the verdict). @defaultValue true */
  psi: boolean;
}

export const DEFAULT_MONITORING_THRESHOLDS: Readonly<MonitoringThresholds> = {
  minSamples: 30,
  driftShare: DEFAULT_DRIFT_SHARE,
  columns: {},
  psi: true,
};

/** One column of a window: the engine's verdict, or too few values for one. */
export type ColumnVerdict =
  | { status: 'tested'; result: ColumnDriftJson }
  | { status: 'not-enough-data'; nRef: number; nCur: number; minSamples: number };

export interface DriftSummary {
  /** Columns compared. */
  nColumns: number;
  /** Columns with enough values on both sides. */
  nTested: number;
  nNotEnoughData: number;
  nDrifted: number;
  /** nDrifted / nTested; 0 when nothing was tested. */
  share: number;
  threshold: number;
  /** share >= threshold with at least one column tested. */
  drift: boolean;
}

/** Drift of a group of columns (features, target or predictions) over one window. */
export interface DriftSection {
  columns: Record<string, ColumnVerdict>;
  summary: DriftSummary;
}

const isPresent = (v: unknown): boolean =>
  v !== null && v !== undefined && !(typeof v === 'number' && !Number.isFinite(v));

/** Values the drift tests would keep: not NaN, not +-inf, not missing. */
export function countPresent(values: ColumnValues): number {
  let n = 0;
  for (const v of values) {
    if (isPresent(v)) {
      n++;
    }
  }
  return n;
}

/**
 * Every column of `reference` against the same column of `current` (missing there: no values), each
 * with its own test and threshold from `thresholds`; columns short of `minSamples` are set apart.
 */
export function driftSection(
  reference: Readonly<Record<string, ColumnReference>>,
  current: Readonly<Record<string, ColumnValues>>,
  thresholds: MonitoringThresholds,
): DriftSection {
  const minSamples = Math.max(1, Math.floor(thresholds.minSamples));
  const columns: Record<string, ColumnVerdict> = {};
  let nTested = 0;
  let nDrifted = 0;
  const names = Object.keys(reference);
  for (const name of names) {
    const ref = reference[name] as ColumnReference;
    const cur = current[name] ?? [];
    const nCur = countPresent(cur);
    if (ref.n < minSamples || nCur < minSamples) {
      columns[name] = { status: 'not-enough-data', nRef: ref.n, nCur, minSamples };
      continue;
    }
    const own = thresholds.columns[name] ?? {};
    const result = columnDriftToJSON(
      columnDrift(ref, cur, {
        name,
        psi: thresholds.psi && ref.kind === 'numerical',
        ...(own.test !== undefined ? { test: own.test } : {}),
        ...(own.threshold !== undefined ? { threshold: own.threshold } : {}),
      }),
    );
    columns[name] = { status: 'tested', result };
    nTested++;
    if (result.drift) {
      nDrifted++;
    }
  }
  const share = nTested === 0 ? 0 : nDrifted / nTested;
  return {
    columns,
    summary: {
      nColumns: names.length,
      nTested,
      nNotEnoughData: names.length - nTested,
      nDrifted,
      share,
      threshold: thresholds.driftShare,
      drift: nTested > 0 && share >= thresholds.driftShare,
    },
  };
}

/** Reference and current shares over the same bins, for a chart of one column. */
export interface HistogramPair {
  /** Bin edges, ascending (bins + 1 of them); empty for a column without values. */
  edges: number[];
  /** Share of the reference values in each bin (sums to 1). */
  reference: number[];
  current: number[];
}

/**
 * Equal-width bins over the range of both sides. The reference enters as its stored values and counts
 * (exact, or the sketch's block medians), so no training row is read.
 */
export function histogramPair(
  reference: ColumnReference,
  current: ColumnValues,
  bins = 20,
): HistogramPair {
  if (reference.kind !== 'numerical') {
    return { edges: [], reference: [], current: [] };
  }
  const cur: number[] = [];
  for (const v of current) {
    if (typeof v === 'number' && Number.isFinite(v)) {
      cur.push(v);
    }
  }
  let lo = reference.n > 0 ? reference.min : Number.POSITIVE_INFINITY;
  let hi = reference.n > 0 ? reference.max : Number.NEGATIVE_INFINITY;
  for (const v of cur) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    return { edges: [], reference: [], current: [] };
  }
  // One value on both sides: one bin around it.
  const nBins = hi > lo ? bins : 1;
  const width = hi > lo ? (hi - lo) / nBins : 1;
  const start = hi > lo ? lo : lo - 0.5;
  const edges = Array.from({ length: nBins + 1 }, (_, i) =>
    i === nBins && hi > lo ? hi : start + i * width,
  );
  const binOf = (v: number) => Math.min(nBins - 1, Math.max(0, Math.floor((v - start) / width)));
  const refCounts = new Array<number>(nBins).fill(0);
  reference.values.forEach((v, i) => {
    refCounts[binOf(v)] = (refCounts[binOf(v)] ?? 0) + (reference.counts[i] ?? 0);
  });
  const curCounts = new Array<number>(nBins).fill(0);
  for (const v of cur) {
    curCounts[binOf(v)] = (curCounts[binOf(v)] ?? 0) + 1;
  }
  const shares = (counts: number[], n: number) => counts.map((c) => (n > 0 ? c / n : 0));
  return {
    edges,
    reference: shares(refCounts, reference.n),
    current: shares(curCounts, cur.length),
  };
}
