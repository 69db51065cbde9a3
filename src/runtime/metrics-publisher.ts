// Publishes a metrics.sample of this process every few seconds: CPU, memory, event-loop delay, HTTP traffic by route
// group, predictions, queue depth and flow runs by state (what the Live page draws per process).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { makeEvent, type EventBus, type MetricsSample } from '../core/index.js';
import type { TrafficWindow } from '../metrics/index.js';

export interface MetricsPublisherOptions {
  events: EventBus;
  traffic: TrafficWindow;
  instanceId: string;
  role: MetricsSample['role'];
  /** @defaultValue 2000 */
  everyMs?: number;
  queueDepth: () => Promise<number>;
  flowRuns: () => Promise<MetricsSample['flowRuns']>;
  wsConnections: () => number;
}

export interface MetricsPublisher {
  /** Builds one sample now (also what each tick publishes). */
  sample(): Promise<MetricsSample>;
  stop(): void;
}

export function startMetricsPublisher(o: MetricsPublisherOptions): MetricsPublisher {
  const everyMs = o.everyMs ?? 2_000;
  // 10 ms resolution: the sampling timer's own cost stays negligible, and a p99 below 10 ms reads as ~10 ms.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let cpu = process.cpuUsage();
  let wall = performance.now();
  let busy = false;

  const sample = async (): Promise<MetricsSample> => {
    const [queueDepth, flowRuns] = await Promise.all([
      o.queueDepth().catch(() => null),
      o.flowRuns().catch(() => []),
    ]);
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    const elapsedMs = Math.max(now - wall, 1);
    cpu = process.cpuUsage();
    wall = now;
    const traffic = o.traffic.take();
    const memory = process.memoryUsage();
    const p99 = loopDelay.count > 0 ? loopDelay.percentile(99) / 1e6 : 0;
    loopDelay.reset();
    return {
      instance: o.instanceId,
      role: o.role,
      pid: process.pid,
      at: Date.now(),
      intervalMs: Math.round(elapsedMs),
      cpuPercent: ((used.user + used.system) / 1000 / elapsedMs) * 100,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      eventLoopDelayP99Ms: p99,
      http: traffic.http,
      predictionsPerSecond: traffic.predictionsPerSecond,
      queueDepth,
      flowRuns,
      events: o.events.stats(),
      wsConnections: o.wsConnections(),
    };
  };

  const timer = setInterval(() => {
    // A slow store read skips a tick rather than stacking samples up.
    if (busy) {
      return;
    }
    busy = true;
    sample()
      .then((s) => {
        o.events.publish(makeEvent('metrics.sample', s));
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();

  return {
    sample,
    stop: () => {
      clearInterval(timer);
      loopDelay.disable();
    },
  };
}
