// What a model version is monitored against, computed once when it is trained: reference statistics of a sample of its training rows' features, of their realised returns and of its predictions, with the thresholds it is monitored with.
// Stored as the run artifact `monitoring/reference.json` beside the model, so monitoring never reads a
// training window again. The sample is evenly spaced over the training rows (the oldest and the newest
// included), at most 1000 rows by default: Evidently calls a reference of at most 1000 values "small" and
// tests it with KS, and the stored statistics of 1000 values are exact (reference-stats.ts keeps up to
// 1024 distinct values per column), so a verdict from the artifact equals one from the rows themselves.
import { InvalidInputError } from '../errors/index.js';
import { sliceRows, type Dataset } from '../features/index.js';
import {
  columnReference,
  driftReference,
  DRIFT_REFERENCE_FORMAT,
  type ColumnReference,
  type DriftReference,
} from './reference-stats.js';
import { DEFAULT_MONITORING_THRESHOLDS, type MonitoringThresholds } from './window-drift.js';

export const MONITORING_REFERENCE_FORMAT = 'stockops.monitoring-reference/1';

/** Training rows sampled into a reference by default. */
export const DEFAULT_REFERENCE_ROWS = 1000;

export interface MonitoringReference {
  format: typeof MONITORING_REFERENCE_FORMAT;
  ticker: string;
  horizon: number;
  /** Model kind of the version. */
  model: string;
  /** `id@version` of the feature set the features were built with. */
  featureSet: string;
  /** The labeled rows the final model was fitted on (bar dates). */
  training: { from: string; to: string; rows: number };
  /** The rows the statistics describe. */
  sample: { method: 'evenly-spaced'; rows: number; from: string; to: string };
  /** One column per feature. */
  features: DriftReference;
  /** Realised log return over the horizon of the sampled rows. */
  target: ColumnReference;
  predictions: {
    /** The final model's predictions on the sampled rows (its own training rows). */
    inSample: ColumnReference;
    /** The walk-forward's out-of-sample predictions (every test row of every fold). */
    outOfSample: ColumnReference;
  };
  thresholds: MonitoringThresholds;
}

/** `k` row indices evenly spaced over 0..n-1, the first and the last included (all of them when n <= k). */
export function evenlySpaced(n: number, k: number): number[] {
  if (n <= 0 || k <= 0) {
    return [];
  }
  if (n <= k) {
    return Array.from({ length: n }, (_, i) => i);
  }
  if (k === 1) {
    return [n - 1];
  }
  return Array.from({ length: k }, (_, i) => Math.round((i * (n - 1)) / (k - 1)));
}

/** The columns of a row-major dataset, by feature name. */
export function datasetColumns(ds: Dataset): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  ds.featureNames.forEach((name, c) => {
    const col = new Float64Array(ds.nRows);
    for (let r = 0; r < ds.nRows; r++) {
      col[r] = ds.X[r * ds.nCols + c] ?? Number.NaN;
    }
    out[name] = col;
  });
  return out;
}

export interface ReferenceInput {
  ticker: string;
  horizon: number;
  model: string;
  /** The labeled rows the final model was fitted on. */
  labeled: Dataset;
  /** The final model's predictions for rows of `labeled`. */
  predict(rows: Dataset): Float64Array;
  /** Out-of-sample predictions of the walk-forward. */
  outOfSample: readonly number[];
  /** @defaultValue DEFAULT_MONITORING_THRESHOLDS */
  thresholds?: MonitoringThresholds;
  /** Most training rows sampled. @defaultValue 1000 */
  maxRows?: number;
}

export function buildMonitoringReference(input: ReferenceInput): MonitoringReference {
  const { labeled } = input;
  if (labeled.nRows === 0 || !labeled.y) {
    throw new InvalidInputError('training rows', 'a reference needs labeled rows; found none');
  }
  const maxRows = input.maxRows ?? DEFAULT_REFERENCE_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new InvalidInputError('maxRows', `must be a positive integer, got ${maxRows}`);
  }
  const idx = evenlySpaced(labeled.nRows, maxRows);
  const sample = sliceRows(labeled, idx);
  const first = (ds: Dataset) => ds.dates[0] ?? '';
  const last = (ds: Dataset) => ds.dates[ds.nRows - 1] ?? '';
  return {
    format: MONITORING_REFERENCE_FORMAT,
    ticker: input.ticker,
    horizon: input.horizon,
    model: input.model,
    featureSet: labeled.featureSet,
    training: { from: first(labeled), to: last(labeled), rows: labeled.nRows },
    sample: { method: 'evenly-spaced', rows: sample.nRows, from: first(sample), to: last(sample) },
    features: driftReference(datasetColumns(sample), { maxValues: 1024 }),
    target: columnReference(sample.y ?? new Float64Array(0), { kind: 'numerical' }),
    predictions: {
      inSample: columnReference(input.predict(sample), { kind: 'numerical' }),
      outOfSample: columnReference(Float64Array.from(input.outOfSample), { kind: 'numerical' }),
    },
    thresholds: structuredClone(input.thresholds ?? DEFAULT_MONITORING_THRESHOLDS),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A stored reference, checked for its format and the fields monitoring reads; the statistics of each
 * column are checked again by the drift engine when it reads them.
 */
export function readMonitoringReference(json: unknown): MonitoringReference {
  const bad = (why: string): never => {
    throw new InvalidInputError('monitoring reference', why);
  };
  if (!isObject(json)) {
    return bad('expected a JSON object');
  }
  if (json.format !== MONITORING_REFERENCE_FORMAT) {
    return bad(
      `has format ${JSON.stringify(json.format)}; this version reads "${MONITORING_REFERENCE_FORMAT}"`,
    );
  }
  const features = json.features;
  if (!isObject(features) || features.format !== DRIFT_REFERENCE_FORMAT) {
    return bad(`features are not drift reference statistics (${DRIFT_REFERENCE_FORMAT})`);
  }
  if (!isObject(features.columns) || Object.keys(features.columns).length === 0) {
    return bad('has no feature columns');
  }
  if (!isObject(json.target) || !isObject(json.predictions)) {
    return bad('lacks target or predictions');
  }
  if (!isObject(json.predictions.inSample) || !isObject(json.predictions.outOfSample)) {
    return bad('lacks in-sample or out-of-sample predictions');
  }
  const t = json.thresholds;
  if (
    !isObject(t) ||
    typeof t.minSamples !== 'number' ||
    typeof t.driftShare !== 'number' ||
    !isObject(t.columns) ||
    typeof t.psi !== 'boolean'
  ) {
    return bad('lacks thresholds { minSamples, driftShare, columns, psi }');
  }
  if (typeof json.featureSet !== 'string' || typeof json.horizon !== 'number') {
    return bad('lacks featureSet or horizon');
  }
  return json as unknown as MonitoringReference;
}
