// The flow catalog: every flow name has exactly one job handler, checked before anything starts; and the
// default schedules, upserted under stable ids.
import { FlowCatalogError, type JobHandler, type ScheduleRecord } from '../core/index.js';

/** Every flow is a job of the same name. */
export const FLOW_NAMES = [
  'etl',
  'train',
  'evaluate',
  'retrain-all',
  'bootstrap',
  'monitor',
] as const;
export type FlowName = (typeof FLOW_NAMES)[number];

export function checkHandlers(handlers: ReadonlyMap<string, JobHandler>): void {
  const missing = FLOW_NAMES.filter((n) => !handlers.has(n));
  const unknown = [...handlers.keys()].filter(
    (n) => !(FLOW_NAMES as readonly string[]).includes(n),
  );
  if (missing.length > 0 || unknown.length > 0) {
    throw new FlowCatalogError(missing, unknown);
  }
}

/**
 * Daily ETL after each exchange's close, in the exchange's own time zone (so daylight saving needs no
 * edits), a monitor run an hour after each ETL, and a weekly retrain once the week's data is in.
 */
export const DEFAULT_SCHEDULES: readonly Omit<ScheduleRecord, 'updatedAt'>[] = [
  {
    id: 'etl-us-daily',
    flow: 'etl',
    cron: '30 16 * * 1-5',
    timezone: 'America/New_York',
    parameters: { market: 'US' },
    enabled: true,
    description: 'US tickers, 30 min after the NYSE/Nasdaq close (16:00 New York)',
  },
  {
    id: 'etl-tw-daily',
    flow: 'etl',
    cron: '0 14 * * 1-5',
    timezone: 'Asia/Taipei',
    parameters: { market: 'TW' },
    enabled: true,
    description: '.TW tickers, 30 min after the TWSE close (13:30 Taipei)',
  },
  {
    id: 'monitor-us-daily',
    flow: 'monitor',
    cron: '30 17 * * 1-5',
    timezone: 'America/New_York',
    parameters: { market: 'US', trigger: 'schedule' },
    enabled: true,
    description: 'Drift, retrain policy and alerts for US models, an hour after the US ETL',
  },
  {
    id: 'monitor-tw-daily',
    flow: 'monitor',
    cron: '0 15 * * 1-5',
    timezone: 'Asia/Taipei',
    parameters: { market: 'TW', trigger: 'schedule' },
    enabled: true,
    description: 'Drift, retrain policy and alerts for .TW models, an hour after the TWSE ETL',
  },
  {
    id: 'retrain-all-weekly',
    flow: 'retrain-all',
    cron: '0 6 * * 6',
    timezone: 'America/New_York',
    parameters: {},
    enabled: true,
    description: 'Retrain every stored ticker on Saturday morning, after the week has closed',
  },
];
