// The ForecastLog port: one row per forecast served (ticker, horizon, asOf, model version) with its serve count, and the seam every served forecast passes through.

/** Price interval of a forecast at its target date. */
export interface ServedInterval {
  /** Nominal coverage, e.g. 0.8. */
  level: number;
  lower: number;
  upper: number;
}

/** The route that served a forecast: one horizon, a batch item, or one horizon of a path. */
export type ServedVia = 'predict' | 'batch' | 'forecast';

/**
 * A forecast as it left the process. The serving services hand every one to a {@link ServedSink}; the forecast
 * log and the event bus both listen there, so "a forecast was served" happens in one place.
 */
export interface ServedForecast {
  ticker: string;
  horizon: number;
  /** Date of the last bar the forecast is made from. */
  asOf: string;
  /** The horizon-th trading day after asOf. */
  targetDate: string;
  model: { name: string; version: number; kind: string; runId: string; featureSet: string };
  lastClose: number;
  /** Predicted log return of the adjusted close over the horizon. */
  predictedReturn: number;
  predictedClose: number;
  /** Empty while the model is uncalibrated. */
  intervals: readonly ServedInterval[];
  /** Milliseconds since the epoch. */
  servedAt: number;
  via: ServedVia;
}

/**
 * Where served forecasts go. Called on the request path, so an implementation returns at once: it never
 * blocks, awaits or throws (a failing listener counts and logs its own failures).
 */
export interface ServedSink {
  served(forecast: ServedForecast): void;
}

/** One forecast with the serves seen since the last write: what the log upserts. */
export interface ForecastServes {
  forecast: Omit<ServedForecast, 'servedAt' | 'via'>;
  count: number;
  firstServedAt: number;
  lastServedAt: number;
}

/** A row of the log: one distinct forecast. */
export interface ForecastLogRow extends Omit<ServedForecast, 'servedAt' | 'via'> {
  /** Insertion order, the tie-break of the newest-first order. */
  id: number;
  firstServedAt: number;
  lastServedAt: number;
  serveCount: number;
}

/** Where a page of the log starts: strictly after this row in newest-first order (asOf desc, id desc). */
export interface ForecastLogPosition {
  asOf: string;
  id: number;
}

export interface ForecastLogQuery {
  ticker?: string;
  horizon?: number;
  /** Inclusive bounds on asOf, YYYY-MM-DD. */
  from?: string;
  to?: string;
  /** Registered model name, e.g. `^GSPC.h1`. */
  model?: string;
  /** Rows per page. */
  limit: number;
  after?: ForecastLogPosition;
}

/** The served forecasts, one row each, with how often and when they were served. */
export interface ForecastLog {
  /**
   * Adds serves in one write: a new forecast is inserted, a known one gets `count` added to its serve count
   * and its first and last served times widened. Entries are distinct forecasts.
   */
  record(entries: readonly ForecastServes[]): Promise<void>;
  /** Newest first: asOf descending, then the latest first served. */
  list(query: ForecastLogQuery): Promise<ForecastLogRow[]>;
}
