// How monitoring looks at a model: the live window, the reference's sample, and the drift thresholds each new reference records.
import { InvalidInputError } from '../errors/index.js';
import { DEFAULT_REFERENCE_ROWS } from './model-reference.js';
import { DEFAULT_MONITORING_THRESHOLDS, type MonitoringThresholds } from './window-drift.js';

export interface MonitoringSettings {
  /** Most recent bars a monitor run compares with the reference (STOCKOPS_MONITOR_WINDOW). @defaultValue 60 */
  windowRows: number;
  /** Training rows sampled into a new version's reference (STOCKOPS_MONITOR_REFERENCE_ROWS). @defaultValue 1000 */
  referenceRows: number;
  /**
   * Thresholds written into each new version's reference (STOCKOPS_MONITOR_MIN_SAMPLES, STOCKOPS_DRIFT_SHARE,
   * STOCKOPS_DRIFT_COLUMNS as JSON `{ "feature": { "test": "ks", "threshold": 0.01 } }`); a version keeps those it
   * was trained with.
   */
  thresholds: MonitoringThresholds;
  /**
   * Newest matured forecasts per model version that realised accuracy is computed over
   * (STOCKOPS_MONITOR_REALISED_WINDOW). @defaultValue 250
   */
  realisedWindow: number;
}

export const DEFAULT_MONITORING_SETTINGS: Readonly<MonitoringSettings> = {
  windowRows: 60,
  referenceRows: DEFAULT_REFERENCE_ROWS,
  thresholds: DEFAULT_MONITORING_THRESHOLDS,
  realisedWindow: 250,
};

/** Checks settings as a whole: the window must be able to hold `minSamples` rows. */
export function checkMonitoringSettings(s: MonitoringSettings): MonitoringSettings {
  const int = (field: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new InvalidInputError(field, `must be an integer in [${min}, ${max}], found ${v}`);
    }
  };
  int('windowRows', s.windowRows, 5, 5000);
  int('referenceRows', s.referenceRows, 30, 100_000);
  int('realisedWindow', s.realisedWindow, 1, 100_000);
  int('thresholds.minSamples', s.thresholds.minSamples, 1, 5000);
  if (s.thresholds.minSamples > s.windowRows) {
    throw new InvalidInputError(
      'thresholds.minSamples',
      `is ${s.thresholds.minSamples}, more than the window of ${s.windowRows} rows: no column could ever be tested`,
    );
  }
  const share = s.thresholds.driftShare;
  if (!(share > 0 && share <= 1)) {
    throw new InvalidInputError('thresholds.driftShare', `must be in (0, 1], found ${share}`);
  }
  return s;
}
