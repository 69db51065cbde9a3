// Unit tests of what the Live page keeps of the streams, and how flow-run changes update the Flows page's lists.
import type { FlowRun } from '@stockops/api';
import { describe, expect, it } from 'vitest';
import {
  addNewest,
  addSample,
  applyRunChange,
  httpTotals,
  type MetricsSampleEvent,
} from './live-state';

const sample = (instance: string, at: number, id = `${instance}-${at}`): MetricsSampleEvent => ({
  type: 'metrics.sample',
  schemaVersion: 1,
  id,
  time: at,
  source: instance,
  key: instance,
  data: {
    instance,
    role: 'server',
    pid: 1,
    at,
    intervalMs: 2000,
    cpuPercent: 5,
    rssBytes: 1,
    heapUsedBytes: 1,
    eventLoopDelayP99Ms: 1,
    http: [
      { group: 'predict', requests: 10, requestsPerSecond: 5, errors: 0, p50Ms: 2, p99Ms: 9 },
      { group: 'data', requests: 2, requestsPerSecond: 1, errors: 0, p50Ms: 4, p99Ms: 6 },
    ],
    predictionsPerSecond: 5,
    queueDepth: 0,
    flowRuns: [],
    events: { published: 0, dropped: 0, buffered: 0 },
    wsConnections: 1,
  },
});

const run = (id: string, state: FlowRun['state'], extra: Partial<FlowRun> = {}): FlowRun => ({
  id,
  flow: 'train',
  state,
  attempts: 1,
  parameters: {},
  result: null,
  error: null,
  parentId: null,
  scheduleId: null,
  worker: null,
  createdAt: 1,
  startedAt: null,
  endedAt: null,
  ...extra,
});

describe('addSample', () => {
  it('keeps each process its last minutes of samples, in order and once each', () => {
    let m = addSample(new Map(), sample('a', 1_000));
    m = addSample(m, sample('a', 400_000));
    m = addSample(m, sample('a', 400_000));
    m = addSample(m, sample('b', 399_000));
    expect(m.get('a')?.map((s) => s.data.at)).toEqual([400_000]);
    expect(m.get('b')).toHaveLength(1);
  });

  it('drops a process not heard from within the window', () => {
    let m = addSample(new Map(), sample('gone', 1_000));
    m = addSample(m, sample('alive', 1_000 + 6 * 60_000));
    expect([...m.keys()]).toEqual(['alive']);
  });
});

describe('addNewest and httpTotals', () => {
  it('keeps the newest rows first, bounded, without repeats', () => {
    let rows: { id: string }[] = [];
    for (let i = 0; i < 60; i++) {
      rows = addNewest(rows, { id: String(i) });
    }
    rows = addNewest(rows, { id: '59' });
    expect(rows).toHaveLength(50);
    expect(rows[0]?.id).toBe('59');
  });

  it('sums requests/s over route groups and takes the slowest group', () => {
    expect(httpTotals(sample('a', 1).data)).toEqual({ requestsPerSecond: 6, p50Ms: 4, p99Ms: 9 });
  });
});

describe('applyRunChange', () => {
  it('replaces a listed run, adds a new one that matches the filter and drops one that no longer does', () => {
    const list = [run('1', 'Running'), run('2', 'Queued')];
    expect(
      applyRunChange(list, {}, run('1', 'Completed', { endedAt: 5 }))?.map((r) => r.state),
    ).toEqual(['Completed', 'Queued']);
    expect(applyRunChange(list, {}, run('3', 'Queued'))?.map((r) => r.id)).toEqual(['3', '1', '2']);
    expect(
      applyRunChange(list, { state: 'Running' }, run('1', 'Failed'))?.map((r) => r.id),
    ).toEqual(['2']);
    expect(applyRunChange(list, { flow: 'etl' }, run('4', 'Queued'))?.map((r) => r.id)).toEqual([
      '1',
      '2',
    ]);
    expect(applyRunChange(undefined, {}, run('1', 'Queued'))).toBeUndefined();
  });
});
