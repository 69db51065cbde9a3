// Monitoring as Prometheus metrics, read from the stores when Prometheus scrapes: drift, realised accuracy, flows failing in a row, stale data, quarantined rows, alerts and the retrain policy.
// Every API replica reports the same numbers (the store holds them), so the alerting rules take `max by`
// over replicas; workers do not register these. Labels are bounded: ticker and horizon of served models
// (stored tickers only), an interval level, a flow name, an alert rule.
import { Counter, Gauge, type Registry } from 'prom-client';

/** One served model as the gauges show it. */
export interface ModelSnapshot {
  ticker: string;
  horizon: number;
  version: number;
  /** Feature drift of the latest monitored window: share of drifted features, and the verdict. */
  driftShare: number | null;
  drift: boolean | null;
  /** Drifted windows in a row, newest first. */
  driftWindows: number;
  /** Bar date ending the latest monitored window (YYYY-MM-DD). */
  lastWindowTo: string | null;
  retrainStopped: boolean;
  accuracy: {
    matured: number;
    rmse: number;
    rmseNaive: number;
    skill: number;
    directionAccuracy: number;
    upRate: number;
    /** Realised coverage by level in percent ("80", "95"). */
    coverage: Record<string, number>;
  } | null;
}

export interface MonitoringSnapshot {
  models: ModelSnapshot[];
  flows: { flow: string; consecutiveFailures: number }[];
  tickers: { ticker: string; lastBarDate: string | null; sessionsBehind: number }[];
  /** Rows quarantined per ticker, ever (a counter: the rules take its increase). */
  quarantinedTotal: { ticker: string; rows: number }[];
  /** Open alerts by rule and severity. */
  openAlerts: { rule: string; severity: string; count: number }[];
  /** Retrains the policy started, ever. */
  retrainsStarted: number;
}

/** Where the gauges read: the runtime wires the services' monitoring facts here. */
export type MonitoringSnapshotSource = () => Promise<MonitoringSnapshot>;

const dayStart = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

/**
 * Registers the monitoring metrics. One scrape reads the snapshot once (shared by every metric for
 * `cacheMs`), so a scrape costs one pass over the stores, not one per metric.
 */
export function registerMonitoringMetrics(
  registry: Registry,
  source: MonitoringSnapshotSource,
  cacheMs = 2000,
): void {
  let cached: { at: number; value: Promise<MonitoringSnapshot> } | null = null;
  const snapshot = (): Promise<MonitoringSnapshot> => {
    const now = Date.now();
    if (!cached || now - cached.at > cacheMs) {
      const value = source();
      cached = { at: now, value };
      // A failed read is not kept: the next scrape asks again.
      value.catch(() => {
        cached = null;
      });
    }
    return cached.value;
  };
  const model = (m: ModelSnapshot) => ({ ticker: m.ticker, horizon: String(m.horizon) });
  const perModel = (
    name: string,
    help: string,
    value: (m: ModelSnapshot) => number | null,
  ): void => {
    new Gauge({
      name,
      help,
      labelNames: ['ticker', 'horizon'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const m of (await snapshot()).models) {
          const v = value(m);
          if (v !== null && Number.isFinite(v)) {
            this.set(model(m), v);
          }
        }
      },
    });
  };

  perModel('stockops_model_champion_version', 'Version serving as champion', (m) => m.version);
  perModel(
    'stockops_model_drift_share_ratio',
    'Share of features drifted in the latest monitored window (Evidently rules)',
    (m) => m.driftShare,
  );
  perModel(
    'stockops_model_drift_detected',
    'Data drift in the latest monitored window (1) or not (0)',
    (m) => (m.drift === null ? null : m.drift ? 1 : 0),
  );
  perModel(
    'stockops_model_drift_windows_consecutive',
    'Monitored windows in a row, newest first, whose features drifted',
    (m) => m.driftWindows,
  );
  perModel(
    'stockops_model_window_end_timestamp_seconds',
    'Bar date ending the latest monitored window, as a Unix time (00:00 UTC)',
    (m) => (m.lastWindowTo === null ? null : dayStart(m.lastWindowTo)),
  );
  perModel(
    'stockops_retrain_policy_stopped',
    'The retrain policy stopped for the model after failed retrains in a row (1) or runs (0)',
    (m) => (m.retrainStopped ? 1 : 0),
  );
  perModel(
    'stockops_realised_matured_forecasts',
    'Served forecasts whose target date has a bar, in the realised-accuracy window',
    (m) => m.accuracy?.matured ?? null,
  );
  perModel(
    'stockops_realised_skill_ratio',
    'Realised skill, 1 - RMSE / RMSE of naive on the same dates (below 0: worse than naive)',
    (m) => m.accuracy?.skill ?? null,
  );
  perModel(
    'stockops_realised_rmse',
    'Realised RMSE of predicted log returns',
    (m) => m.accuracy?.rmse ?? null,
  );
  perModel(
    'stockops_realised_rmse_naive',
    'RMSE of the naive (zero return) forecast on the same dates',
    (m) => m.accuracy?.rmseNaive ?? null,
  );
  perModel(
    'stockops_realised_direction_accuracy_ratio',
    'Share of matured forecasts with the right sign',
    (m) => m.accuracy?.directionAccuracy ?? null,
  );
  perModel(
    'stockops_realised_up_rate_ratio',
    'Share of matured forecasts whose realised return was positive (the always-up base rate)',
    (m) => m.accuracy?.upRate ?? null,
  );

  const coverage = (name: string, help: string, value: (level: string, v: number) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['ticker', 'horizon', 'level'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const m of (await snapshot()).models) {
          for (const [level, v] of Object.entries(m.accuracy?.coverage ?? {})) {
            if (Number.isFinite(v)) {
              this.set({ ...model(m), level }, value(level, v));
            }
          }
        }
      },
    });
  coverage(
    'stockops_realised_coverage_ratio',
    'Share of matured forecasts inside their interval, by nominal level in percent',
    (_l, v) => v,
  );
  coverage(
    'stockops_realised_coverage_nominal_ratio',
    'The nominal coverage of each interval level (0.8, 0.95), beside the realised one',
    (l) => Number(l) / 100,
  );

  new Gauge({
    name: 'stockops_flow_consecutive_failures',
    help: "Failed runs in a row at the head of each flow's history",
    labelNames: ['flow'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const f of (await snapshot()).flows) {
        this.set({ flow: f.flow }, f.consecutiveFailures);
      }
    },
  });
  new Gauge({
    name: 'stockops_data_sessions_behind',
    help: "Closed exchange sessions without a bar since a scheduled ticker's last bar",
    labelNames: ['ticker'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const t of (await snapshot()).tickers) {
        this.set({ ticker: t.ticker }, t.sessionsBehind);
      }
    },
  });
  new Gauge({
    name: 'stockops_data_last_bar_timestamp_seconds',
    help: "A scheduled ticker's last bar date as a Unix time (00:00 UTC)",
    labelNames: ['ticker'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const t of (await snapshot()).tickers) {
        if (t.lastBarDate !== null) {
          this.set({ ticker: t.ticker }, dayStart(t.lastBarDate));
        }
      }
    },
  });
  new Counter({
    name: 'stockops_quarantined_rows_total',
    help: 'Rows refused by imports and the ETL, per ticker (from the store)',
    labelNames: ['ticker'],
    registers: [registry],
    async collect() {
      // The store holds the total: the counter is set to it (reset, then incremented by the whole).
      this.reset();
      for (const q of (await snapshot()).quarantinedTotal) {
        this.inc({ ticker: q.ticker }, q.rows);
      }
    },
  });
  new Gauge({
    name: 'stockops_alerts_open',
    help: 'Open alerts (active or acknowledged) by rule and severity',
    labelNames: ['rule', 'severity'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const a of (await snapshot()).openAlerts) {
        this.set({ rule: a.rule, severity: a.severity }, a.count);
      }
    },
  });
  new Counter({
    name: 'stockops_retrains_started_total',
    help: 'Retrains the retrain policy started (train flow runs), all models',
    registers: [registry],
    async collect() {
      this.reset();
      this.inc((await snapshot()).retrainsStarted);
    },
  });
}
