// The metrics.sample a process publishes: traffic by route group from the window, its own vital signs, the bus.
import { describe, expect, it } from 'vitest';
import { TrafficWindow } from '../metrics/index.js';
import { openEventBus } from '../stores/index.js';
import { startMetricsPublisher } from './metrics-publisher.js';

describe('startMetricsPublisher', () => {
  it('reports the window of HTTP traffic by route group, predictions/s and the process, then starts a new window', async () => {
    const events = await openEventBus({ kafkaBrokers: null, instanceId: 'p1' });
    const traffic = new TrafficWindow();
    for (let i = 1; i <= 100; i++) {
      traffic.recordRequest('predict', i / 10, i === 100 ? 503 : 200);
    }
    traffic.recordRequest('data', 5, 200);
    traffic.countPrediction(40);
    const publisher = startMetricsPublisher({
      events,
      traffic,
      instanceId: 'p1',
      role: 'server',
      everyMs: 60_000,
      queueDepth: () => Promise.resolve(3),
      flowRuns: () => Promise.resolve([{ state: 'Running', count: 2 }]),
      wsConnections: () => 7,
    });
    try {
      const s = await publisher.sample();
      expect(s).toMatchObject({
        instance: 'p1',
        role: 'server',
        pid: process.pid,
        queueDepth: 3,
        flowRuns: [{ state: 'Running', count: 2 }],
        wsConnections: 7,
        events: { published: 0, dropped: 0, buffered: 0 },
      });
      const predict = s.http.find((h) => h.group === 'predict');
      expect(predict).toMatchObject({ requests: 100, errors: 1 });
      // HDR histogram with 2 significant figures: p50 of 0.1..10 ms is 5 ms, p99 is 9.9 ms.
      expect(predict?.p50Ms).toBeCloseTo(5, 1);
      expect(predict?.p99Ms).toBeCloseTo(9.9, 1);
      expect(s.predictionsPerSecond).toBeGreaterThan(0);
      expect(s.rssBytes).toBeGreaterThan(0);
      expect(s.cpuPercent).toBeGreaterThanOrEqual(0);
      const next = await publisher.sample();
      expect(next.http).toEqual([]);
      expect(next.predictionsPerSecond).toBe(0);
    } finally {
      publisher.stop();
      await events.close();
    }
  });

  it('reports an unreadable queue as null and an unreadable store as no runs, never failing the sample', async () => {
    const events = await openEventBus({ kafkaBrokers: null, instanceId: 'p2' });
    const publisher = startMetricsPublisher({
      events,
      traffic: new TrafficWindow(),
      instanceId: 'p2',
      role: 'worker',
      queueDepth: () => Promise.reject(new Error('redis down')),
      flowRuns: () => Promise.reject(new Error('db down')),
      wsConnections: () => 0,
    });
    try {
      expect(await publisher.sample()).toMatchObject({ queueDepth: null, flowRuns: [] });
    } finally {
      publisher.stop();
      await events.close();
    }
  });
});
