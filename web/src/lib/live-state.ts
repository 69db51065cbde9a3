// What the Live page keeps of the streams, bounded: the last minutes of samples per process, the latest predictions
// and flow-run changes, and how flow-run changes update the Flows page's cached lists.
import type { FlowRun, LiveEventOf } from '@stockops/api';
import type { FlowRunFilter } from './queries';

export type MetricsSampleEvent = LiveEventOf<'metrics.sample'>;
export type PredictionEvent = LiveEventOf<'prediction.served'>;
export type FlowRunEvent = LiveEventOf<'flow-run.changed'>;

/** How far back the charts reach. */
export const LIVE_WINDOW_MS = 5 * 60_000;
/** Rows kept in the streaming tables. */
export const LIVE_ROWS = 50;

/** Samples by process, oldest first, none older than the window before the newest. */
export function addSample(
  byInstance: ReadonlyMap<string, readonly MetricsSampleEvent[]>,
  sample: MetricsSampleEvent,
  windowMs = LIVE_WINDOW_MS,
): Map<string, readonly MetricsSampleEvent[]> {
  const next = new Map(byInstance);
  const list = [...(next.get(sample.data.instance) ?? []), sample]
    .filter((s, i, all) => all.findIndex((x) => x.id === s.id) === i)
    .sort((a, b) => a.data.at - b.data.at);
  const newest = list[list.length - 1]?.data.at ?? sample.data.at;
  next.set(
    sample.data.instance,
    list.filter((s) => s.data.at >= newest - windowMs),
  );
  // A process not heard from within the window has stopped: its lines leave the charts.
  for (const [instance, samples] of next) {
    const last = samples[samples.length - 1];
    if (!last || last.data.at < sample.data.at - windowMs) {
      next.delete(instance);
    }
  }
  return next;
}

/** Newest first, at most `limit`, each event once (a replica may deliver one twice after a reconnect). */
export function addNewest<T extends { id: string }>(
  rows: readonly T[],
  row: T,
  limit = LIVE_ROWS,
): T[] {
  if (rows.some((r) => r.id === row.id)) {
    return [...rows];
  }
  return [row, ...rows].slice(0, limit);
}

/** HTTP requests/s of a sample over all route groups, and the worst p50/p99 among the groups that had traffic. */
export function httpTotals(sample: MetricsSampleEvent['data']): {
  requestsPerSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
} {
  const busy = sample.http.filter((h) => h.requests > 0);
  return {
    requestsPerSecond: sample.http.reduce((n, h) => n + h.requestsPerSecond, 0),
    p50Ms: busy.length > 0 ? Math.max(...busy.map((h) => h.p50Ms)) : null,
    p99Ms: busy.length > 0 ? Math.max(...busy.map((h) => h.p99Ms)) : null,
  };
}

/**
 * A cached flow-run list after a run changed: the run replaced where it is listed, added at the top when it is
 * new and matches the list's filter, or taken out when its new state no longer does.
 */
export function applyRunChange(
  list: readonly FlowRun[] | undefined,
  filter: FlowRunFilter,
  run: FlowRun,
): FlowRun[] | undefined {
  if (list === undefined) {
    return undefined;
  }
  const matches =
    (filter.flow === undefined || filter.flow === run.flow) &&
    (filter.state === undefined || filter.state === run.state);
  const at = list.findIndex((r) => r.id === run.id);
  if (at >= 0) {
    // An older change arriving after a newer one is ignored (attempts and end time only move forward).
    const known = list[at];
    if (known && known.endedAt !== null && run.endedAt === null && known.attempts >= run.attempts) {
      return [...list];
    }
    return matches ? list.map((r, i) => (i === at ? run : r)) : list.filter((_, i) => i !== at);
  }
  return matches ? [run, ...list] : [...list];
}
