// What the application services need: the ports, wired by the runtime.
import type {
  AliasLog,
  DatasetStore,
  EtlRunLog,
  EventBus,
  ForecastLog,
  PriceSource,
  PriceStore,
  RecipeStore,
  Registry,
  ServedSink,
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
  /** Model recipes (versioned training settings); needed by the recipe routes and recipe runs only. */
  recipes?: RecipeStore;
  /** Where training fits: the runtime's worker-thread pool (STOCKOPS_FIT_THREADS). @defaultValue inThreadFitter */
  fitter?: Fitter;
  /** Where served predictions, alias moves and data loads are announced; absent, nothing is. */
  events?: EventBus;
  /** This process, as served predictions name it. @defaultValue the bus's own source stamp only */
  instanceId?: string;
  /** Where every forecast served goes: the forecast log's recorder, the event bus. @defaultValue nowhere */
  served?: ServedSink;
  /** The forecast log that GET /api/predictions reads. */
  forecastLog?: ForecastLog;
  /** Seconds a prediction spent in each stage (the histogram stockops_predict_stage_seconds). */
  onStage?: (stage: PredictStage, seconds: number) => void;
}

/**
 * Stages of one prediction: `cache` the lookup (with the champion and last bar date re-read when due), `store`
 * the read of the bars, `features` the live row, `model` the prediction and its intervals. The server adds
 * `serialize`.
 */
export type PredictStage = 'cache' | 'store' | 'features' | 'model' | 'serialize';

export const today = (deps: Pick<ServiceDeps, 'now'>): string =>
  (deps.now ? deps.now() : new Date()).toISOString().slice(0, 10);
