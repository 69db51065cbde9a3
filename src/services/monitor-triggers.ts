// What starts the monitor flow besides its schedules: every ETL load, heard on the event bus (`data.loaded`).
import type { EventBus, EventSubscription } from '../core/index.js';

/** Starts a flow run once per idempotency key (the flow engine's start). */
export type StartFlow = (
  flow: string,
  parameters: Record<string, unknown>,
  options: { idempotencyKey: string },
) => Promise<string>;

/** The shared consumer group: across API replicas and workers, each load is handled by one of them. */
export const MONITOR_ON_LOAD_GROUP = 'stockops-monitor-on-data-loaded';

/**
 * A monitor run for the ticker of each ETL load that brought new or changed bars. The key (ticker and the
 * load's last bar date) makes a redelivered event, or two loads ending on the same bar, start one run. Imports
 * are left to the schedule: a CSV import is a person's backfill, not the daily feed.
 */
export function monitorAfterEtlLoads(events: EventBus, start: StartFlow): EventSubscription {
  return events.subscribeShared(MONITOR_ON_LOAD_GROUP, ['data'], async (e) => {
    if (e.type !== 'data.loaded' || e.data.origin !== 'etl') {
      return;
    }
    const d = e.data;
    if (d.newBars + d.updatedBars === 0) {
      return;
    }
    await start(
      'monitor',
      { tickers: [d.ticker], trigger: 'data.loaded' },
      { idempotencyKey: `monitor:data.loaded:${d.ticker}:${d.lastDate ?? ''}:${d.etlRunId ?? ''}` },
    );
  });
}
