// The RealisedAccuracyStore port: realised accuracy of served forecasts as a time series, one point per model
// version and window end (the newest matured target date), written by the monitor flow.
import type { RealisedAccuracy } from '../monitoring/realised.js';

export interface RealisedPoint extends RealisedAccuracy {
  ticker: string;
  horizon: number;
  /** Registered model name, e.g. `^GSPC.h1`. */
  model: string;
  version: number;
  /** When the point was computed (ms since the epoch). */
  computedAt: number;
  /** The monitor run that computed it; null outside a flow. */
  monitorRunId: string | null;
}

export interface RealisedQuery {
  ticker?: string;
  horizon?: number;
  model?: string;
  version?: number;
  /** Inclusive bounds on the window end (`to`), YYYY-MM-DD. */
  from?: string;
  to?: string;
  limit: number;
}

export interface RealisedAccuracyStore {
  /** One point per (model, version, window end): a later computation of the same window replaces it. */
  save(point: RealisedPoint): Promise<void>;
  /** Newest window end first. */
  list(query: RealisedQuery): Promise<RealisedPoint[]>;
}
