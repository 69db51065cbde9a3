// Prometheus metrics for one process, on a registry of its own so several apps can coexist in tests.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface AppMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  predictions: Counter<'ticker' | 'horizon'>;
  trainingRuns: Counter<'model' | 'status'>;
  imports: Counter<'outcome'>;
}

export function createMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'stockops_' });
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
    imports: new Counter({
      name: 'stockops_import_rows_total',
      help: 'Imported CSV rows by outcome (imported, duplicate, quarantined)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
