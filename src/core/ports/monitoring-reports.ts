// The MonitoringReportStore port: one stored report per monitor run and model, and the drift of each model's windows by bar date.
import type {
  DriftSection,
  DriftSummary,
  HistogramPair,
  MonitoringThresholds,
} from '../monitoring/index.js';

/** Why a report has no verdict, or that it has one. */
export type MonitoringReportStatus = 'ok' | 'no-reference' | 'not-enough-data' | 'failed';

/** What a report list shows: the window, the champion it looked at, and the verdicts. */
export interface MonitoringReportSummary {
  id: number;
  /** The monitor flow run that made it (null when made outside a flow). */
  flowRunId: string | null;
  ticker: string;
  horizon: number;
  /** Registered model name and the champion version monitored. */
  model: string;
  version: number;
  createdAt: number;
  /** The live rows compared, by bar date: a backfill lands in the window of its dates. */
  window: { from: string; to: string; rows: number };
  status: MonitoringReportStatus;
  /** Dataset drift of the features; null without a verdict. */
  featureDrift: DriftSummary | null;
  targetDrift: boolean | null;
  predictionDrift: boolean | null;
  message: string;
}

/** A whole report: every column's verdict, the histograms, and what the reference was. */
export interface MonitoringReport extends MonitoringReportSummary {
  features: DriftSection | null;
  /** The realised return over the horizon (column `return`). */
  target: DriftSection | null;
  /** The champion's predictions on the window against its in-sample (`in_sample`) and out-of-sample (`out_of_sample`) predictions. */
  predictions: DriftSection | null;
  /** Reference vs current shares per numerical feature. */
  histograms: Record<string, HistogramPair>;
  reference: {
    training: { from: string; to: string; rows: number };
    sample: { rows: number; from: string; to: string };
    thresholds: MonitoringThresholds;
  } | null;
}

export interface MonitoringReportQuery {
  ticker?: string;
  horizon?: number;
  model?: string;
  /** @defaultValue 50 */
  limit?: number;
}

/** The verdict of one window of a model version: the latest report on that window end. */
export interface DriftWindow {
  windowTo: string;
  reportId: number;
  drift: boolean;
}

export interface MonitoringReportStore {
  save(report: Omit<MonitoringReport, 'id'>): Promise<MonitoringReport>;
  get(id: number): Promise<MonitoringReport | null>;
  /** Newest first. */
  list(query: MonitoringReportQuery): Promise<MonitoringReportSummary[]>;
  /**
   * The feature drift of a version's latest windows, newest window end first, one per window end (the latest
   * report on it), reports without a verdict left out.
   */
  windows(model: string, version: number, limit: number): Promise<DriftWindow[]>;
}
