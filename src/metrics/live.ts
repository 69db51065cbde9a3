// Metrics of the event stream and WebSockets (Prometheus), and the short window of HTTP traffic each metrics.sample reports.
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface LiveMetrics {
  /** Events this process could not hand to the bus backend, by reason. */
  eventsDropped: Counter<'reason'>;
  /** Sockets closed by the server, by reason (slow consumer, connection limit, heartbeat). */
  wsClosed: Counter<'reason'>;
  /** Adds where the gauges read their values at scrape time; returns the undo. */
  watch(source: LiveGaugeSource): () => void;
  /** Open WebSocket connections of this process, all channels. */
  wsConnectionCount(): number;
}

export interface LiveGaugeSource {
  /** Events waiting in this process's bus buffer. */
  eventsBuffered?(): number;
  /** Open WebSocket connections by channel. */
  wsConnections?(): Record<string, number>;
  /** Bytes waiting to be sent to WebSocket clients, summed over this process's connections. */
  wsBufferedBytes?(): number;
}

export function createLiveMetrics(registry: Registry): LiveMetrics {
  const sources = new Set<LiveGaugeSource>();
  const sum = (read: (s: LiveGaugeSource) => number | undefined) =>
    [...sources].reduce((n, s) => n + (read(s) ?? 0), 0);
  new Gauge({
    name: 'stockops_events_buffered',
    help: 'Events waiting in this process to be sent to the bus',
    registers: [registry],
    collect() {
      this.set(sum((s) => s.eventsBuffered?.()));
    },
  });
  new Gauge({
    name: 'stockops_ws_connections',
    help: 'Open WebSocket connections by channel',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sources) {
        for (const [channel, n] of Object.entries(s.wsConnections?.() ?? {})) {
          this.inc({ channel }, n);
        }
      }
    },
  });
  new Gauge({
    name: 'stockops_ws_buffered_bytes',
    help: 'Bytes queued for WebSocket clients and not yet sent (bounded per connection)',
    registers: [registry],
    collect() {
      this.set(sum((s) => s.wsBufferedBytes?.()));
    },
  });
  return {
    eventsDropped: new Counter({
      name: 'stockops_events_dropped_total',
      help: 'Events dropped instead of published, by reason (buffer-full, send-failed, too-large, closed)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    wsClosed: new Counter({
      name: 'stockops_ws_closed_total',
      help: 'WebSocket connections the server closed, by reason (slow-consumer, connection-limit, heartbeat)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    watch: (source) => {
      sources.add(source);
      return () => {
        sources.delete(source);
      };
    },
    wsConnectionCount: () =>
      sum((s) => Object.values(s.wsConnections?.() ?? {}).reduce((a, b) => a + b, 0)),
  };
}

/** Latency histograms in microseconds, 1 µs to 1 h: what perf_hooks' HDR histogram keeps exactly enough. */
const newHistogram = (): RecordableHistogram =>
  createHistogram({ lowest: 1, highest: 3.6e9, figures: 2 });

interface GroupWindow {
  latency: RecordableHistogram;
  requests: number;
  errors: number;
}

/** One window of traffic, as a metrics.sample reports it. */
export interface TrafficSnapshot {
  seconds: number;
  http: {
    group: string;
    requests: number;
    requestsPerSecond: number;
    errors: number;
    p50Ms: number;
    p99Ms: number;
  }[];
  predictionsPerSecond: number;
}

/**
 * HTTP requests by route group and predictions served since the last snapshot. Groups are the endpoints'
 * tags (a handful), so memory stays bounded whatever the traffic; each group's latencies go to an HDR
 * histogram (node:perf_hooks), which gives p50 and p99 without keeping every request.
 */
export class TrafficWindow {
  private readonly groups = new Map<string, GroupWindow>();
  private predictions = 0;
  private since = performance.now();

  recordRequest(group: string, ms: number, status: number): void {
    let g = this.groups.get(group);
    if (!g) {
      g = { latency: newHistogram(), requests: 0, errors: 0 };
      this.groups.set(group, g);
    }
    g.latency.record(Math.max(1, Math.round(ms * 1000)));
    g.requests++;
    if (status >= 500) {
      g.errors++;
    }
  }

  countPrediction(n = 1): void {
    this.predictions += n;
  }

  /** The window since the last call, which starts a new one. */
  take(): TrafficSnapshot {
    const now = performance.now();
    const seconds = Math.max((now - this.since) / 1000, 1e-3);
    const http = [...this.groups.entries()]
      .filter(([, g]) => g.requests > 0)
      .map(([group, g]) => ({
        group,
        requests: g.requests,
        requestsPerSecond: g.requests / seconds,
        errors: g.errors,
        p50Ms: g.latency.percentile(50) / 1000,
        p99Ms: g.latency.percentile(99) / 1000,
      }))
      .sort((a, b) => a.group.localeCompare(b.group));
    const snapshot = { seconds, http, predictionsPerSecond: this.predictions / seconds };
    for (const g of this.groups.values()) {
      g.latency.reset();
      g.requests = 0;
      g.errors = 0;
    }
    this.predictions = 0;
    this.since = now;
    return snapshot;
  }
}
