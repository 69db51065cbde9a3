// Prometheus metrics for one process, on a registry of its own so several apps can coexist in tests.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createLiveMetrics, TrafficWindow, type LiveMetrics } from './live.js';

export {
  TrafficWindow,
  type LiveGaugeSource,
  type LiveMetrics,
  type TrafficSnapshot,
} from './live.js';

export {
  registerMonitoringMetrics,
  type ModelSnapshot,
  type MonitoringSnapshot,
  type MonitoringSnapshotSource,
} from './monitoring.js';

export interface AppMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  /** Every route but serving's, 1 ms to 30 s. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Serving routes (predict, batch, forecast), 50 µs to 1 s: a cache hit is sub-millisecond. */
  serveDuration: Histogram<'method' | 'route' | 'status'>;
  /** One prediction's time per stage: cache, store, features, model, serialize. */
  predictStage: Histogram<'stage'>;
  /** Training flow runs from start to end, 1 s to an hour. */
  trainingDuration: Histogram<'model' | 'status'>;
  /** Serves the forecast log could not keep (buffer full while its store was down, or left at exit). */
  forecastLogDropped: Counter;
  /** Distinct forecasts written to the forecast log. */
  forecastLogWritten: Counter;
  /** Requests refused by a replica's protections, by reason (rate_limited, overloaded, not_ready). */
  rejected: Counter<'reason'>;
  predictions: Counter<'ticker' | 'horizon'>;
  trainingRuns: Counter<'model' | 'status'>;
  imports: Counter<'outcome'>;
  flowRunDuration: Histogram<'flow' | 'state'>;
  /** The event stream and WebSockets. */
  live: LiveMetrics;
  /** HTTP traffic and predictions since the last metrics.sample. */
  traffic: TrafficWindow;
  /** Counts one import's rows by outcome. */
  recordImport(result: {
    imported: number;
    duplicates: number;
    quarantined: readonly unknown[];
  }): void;
}

/** Where the flow gauges read their values at scrape time (the SQL store and the queue). */
export interface FlowMetricsSource {
  countByState(): Promise<{ flow: string; state: string; count: number }[]>;
  depth(): Promise<number>;
  workers(): Promise<number>;
}

/**
 * Flow runs by flow and state, queue depth and worker count, read when Prometheus scrapes: the store and
 * Redis hold the truth for every process, so each replica reports the same numbers.
 */
export function registerFlowGauges(metrics: AppMetrics, source: FlowMetricsSource): void {
  new Gauge({
    name: 'stockops_flow_runs',
    help: 'Flow runs by flow and state (all processes, from the store)',
    labelNames: ['flow', 'state'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const r of await source.countByState()) {
        this.set({ flow: r.flow, state: r.state }, r.count);
      }
    },
  });
  new Gauge({
    name: 'stockops_job_queue_depth',
    help: 'Jobs waiting to start',
    registers: [metrics.registry],
    async collect() {
      this.set(await source.depth());
    },
  });
  new Gauge({
    name: 'stockops_job_workers',
    help: 'Processes taking jobs from the queue',
    registers: [metrics.registry],
    async collect() {
      this.set(await source.workers());
    },
  });
}

/**
 * prom-client's default metrics add `..._total` gauges of active handles, requests and resources beside the same
 * gauges by type; Prometheus keeps `_total` for counters (`promtool check metrics` says so), and the sum by type
 * is what they hold, so they are left out.
 */
function dropTotalGauges(registry: Registry): void {
  for (const what of ['handles', 'requests', 'resources']) {
    registry.removeSingleMetric(`stockops_nodejs_active_${what}_total`);
  }
}

/** Seconds: 10 µs .. 1 s, for the stages of one prediction. */
const STAGE_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
  0.25, 0.5, 1,
];
/** Seconds: 50 µs .. 1 s, for serving requests (a cache hit answers well under a millisecond). */
const SERVE_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];
/** Seconds: 1 ms .. 30 s, for the rest of the API. */
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds: 1 s .. 1 h, for training runs. */
const TRAINING_BUCKETS = [1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/** Values read at scrape time from the serving side: the forecast-log buffer and the cache's lookups. */
export function registerServingGauges(
  metrics: AppMetrics,
  source: { forecastLogBuffered(): number; cacheLookups(): { hits: number; misses: number } },
): void {
  // Counted by the cache itself (two integers on the hot path), published as a counter when scraped.
  new Counter({
    name: 'stockops_serving_cache_lookups_total',
    help: 'Serving-cache lookups by result: hit (no store read, no computation) or miss',
    labelNames: ['result'],
    registers: [metrics.registry],
    collect() {
      const { hits, misses } = source.cacheLookups();
      this.reset();
      this.inc({ result: 'hit' }, hits);
      this.inc({ result: 'miss' }, misses);
    },
  });
  new Gauge({
    name: 'stockops_forecast_log_buffered',
    help: 'Distinct forecasts waiting to be written to the forecast log',
    registers: [metrics.registry],
    collect() {
      this.set(source.forecastLogBuffered());
    },
  });
}

export function createMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'stockops_' });
  dropTotalGauges(registry);
  const imports = new Counter({
    name: 'stockops_import_rows_total',
    help: 'Imported CSV rows by outcome (imported, duplicate, quarantined)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  return {
    registry,
    httpRequests: new Counter({
      name: 'stockops_http_requests_total',
      help: 'HTTP requests by route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'stockops_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers: [registry],
    }),
    serveDuration: new Histogram({
      name: 'stockops_predict_request_duration_seconds',
      help: 'Serving request duration (predict, batch, forecast) by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: SERVE_BUCKETS,
      registers: [registry],
    }),
    predictStage: new Histogram({
      name: 'stockops_predict_stage_seconds',
      help: 'Time of one prediction per stage: cache (lookup), store (bars read), features, model, serialize',
      labelNames: ['stage'],
      buckets: STAGE_BUCKETS,
      registers: [registry],
    }),
    trainingDuration: new Histogram({
      name: 'stockops_training_duration_seconds',
      help: 'Training flow runs from first start to end, by model kind and outcome',
      labelNames: ['model', 'status'],
      buckets: TRAINING_BUCKETS,
      registers: [registry],
    }),
    forecastLogDropped: new Counter({
      name: 'stockops_forecast_log_dropped_total',
      help: 'Serves the forecast log could not keep (buffer full while its store was unavailable, or unwritten at exit)',
      registers: [registry],
    }),
    forecastLogWritten: new Counter({
      name: 'stockops_forecast_log_written_total',
      help: 'Distinct forecasts written to the forecast log (one upsert row each)',
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'stockops_http_rejected_total',
      help: 'Requests refused by the protections of this replica, by reason (rate_limited, overloaded, not_ready)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    predictions: new Counter({
      name: 'stockops_predictions_served_total',
      help: 'Predictions served by ticker and horizon',
      labelNames: ['ticker', 'horizon'],
      registers: [registry],
    }),
    trainingRuns: new Counter({
      name: 'stockops_training_runs_total',
      help: 'Training runs by model kind and outcome',
      labelNames: ['model', 'status'],
      registers: [registry],
    }),
    flowRunDuration: new Histogram({
      name: 'stockops_flow_run_duration_seconds',
      help: 'Flow run duration from first start to end, by flow and final state',
      labelNames: ['flow', 'state'],
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [registry],
    }),
    imports,
    live: createLiveMetrics(registry),
    traffic: new TrafficWindow(),
    recordImport: (r) => {
      imports.inc({ outcome: 'imported' }, r.imported);
      imports.inc({ outcome: 'duplicate' }, r.duplicates);
      imports.inc({ outcome: 'quarantined' }, r.quarantined.length);
    },
  };
}
