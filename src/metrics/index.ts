// Prometheus metrics for one process, on a registry of its own so several apps can coexist in tests.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export {
  registerMonitoringMetrics,
  type ModelSnapshot,
  type MonitoringSnapshot,
  type MonitoringSnapshotSource,
} from './monitoring.js';

export interface AppMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  predictions: Counter<'ticker' | 'horizon'>;
  trainingRuns: Counter<'model' | 'status'>;
  imports: Counter<'outcome'>;
  flowRunDuration: Histogram<'flow' | 'state'>;
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
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
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
    recordImport: (r) => {
      imports.inc({ outcome: 'imported' }, r.imported);
      imports.inc({ outcome: 'duplicate' }, r.duplicates);
      imports.inc({ outcome: 'quarantined' }, r.quarantined.length);
    },
  };
}
