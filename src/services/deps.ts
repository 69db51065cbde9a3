// What the application services need: the ports, wired by the runtime.
import type {
  AlertSettings,
  AlertStore,
  AliasLog,
  ApprovalStore,
  DatasetStore,
  EtlRunLog,
  FlowStore,
  ModelLocks,
  MonitoringReportStore,
  MonitoringSettings,
  EventBus,
  ForecastLog,
  PriceSource,
  PriceStore,
  QuarantineCounts,
  RealisedAccuracyStore,
  RecipeStore,
  Registry,
  RetrainDecisionStore,
  RetrainPolicySettings,
  RetrainPolicyStore,
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

/** What monitoring, the retrain policy and the alerts read and write. */
export interface MonitorStores {
  reports: MonitoringReportStore;
  decisions: RetrainDecisionStore;
  policy: RetrainPolicyStore;
  alerts: AlertStore;
  /** Flow runs: retrains running or failing, flows failing in a row, the ETL's schedules. */
  runs: FlowStore;
  quarantine: QuarantineCounts;
  /** Retrains' promotions held for a person (the policy's approval step). */
  approvals: ApprovalStore;
  /** Realised accuracy of served forecasts, written by the monitor flow. */
  realised: RealisedAccuracyStore;
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
  /** Monitoring's stores; the monitor flow and the monitoring routes need them (the runtime sets them). */
  monitorStores?: MonitorStores;
  /** The retrain policy until one is stored (STOCKOPS_RETRAIN_*). @defaultValue DEFAULT_RETRAIN_POLICY */
  retrainPolicy?: RetrainPolicySettings;
  /** Thresholds of the alert rules (STOCKOPS_ALERT_*). @defaultValue DEFAULT_ALERT_SETTINGS */
  alertSettings?: AlertSettings;
  /** One promotion gate per model at a time, across processes; without it the gate runs unguarded. */
  modelLocks?: ModelLocks;
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
