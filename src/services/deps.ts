// What the application services need: the ports, wired by the runtime.
import type {
  AliasLog,
  DatasetStore,
  EtlRunLog,
  MonitoringSettings,
  PriceSource,
  PriceStore,
  Registry,
  Tracker,
} from '../core/index.js';
import type { Fitter } from './fit-pool.js';

/** The promotion gate's settings (see promote.ts). */
export interface PromotionGate {
  /** Error metric compared; lower is better. @defaultValue 'rmse' */
  metric: 'rmse' | 'mae';
  /** Relative improvement required over naive and over the champion (0.01 = 1 %). @defaultValue 0 */
  margin: number;
}

export interface ServiceDeps {
  prices: PriceStore;
  tracker: Tracker;
  registry: Registry;
  aliasLog: AliasLog;
  /** The promotion gate's metric and margin. @defaultValue { metric: 'rmse', margin: 0 } */
  promotion?: PromotionGate;
  /** Injected so tests can fix "today". @defaultValue () => new Date() */
  now?: () => Date;
  /** Parquet snapshots: training records the exact bytes it used. Without it only a digest is recorded. */
  datasets?: DatasetStore;
  /** Where the ETL fetches daily bars; needed by runEtl only. */
  source?: PriceSource;
  /** Where ETL runs are recorded; needed by runEtl only. */
  etlRuns?: EtlRunLog;
  /** The monitoring window and the thresholds new versions' references record. @defaultValue DEFAULT_MONITORING_SETTINGS */
  monitoring?: MonitoringSettings;
  /** Where training fits: the runtime's worker-thread pool (STOCKOPS_FIT_THREADS). @defaultValue inThreadFitter */
  fitter?: Fitter;
}

export const today = (deps: Pick<ServiceDeps, 'now'>): string =>
  (deps.now ? deps.now() : new Date()).toISOString().slice(0, 10);
