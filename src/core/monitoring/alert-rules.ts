// Alert rules as a pure function of what monitoring knows: each condition that holds now, with a stable key so an alert is raised once, kept while it holds and resolved when it stops.
// The same conditions are Prometheus alerting rules in deploy/prometheus/alerts.yml, over the gauges of
// src/metrics (drift windows, realised skill and coverage, failures in a row, sessions behind, quarantined rows).
import { calendarFor, type TradingCalendar } from '../calendar/index.js';
import { addDays } from '../data/index.js';
import { InvalidInputError } from '../errors/index.js';
import { consecutiveFromNewest } from './retrain-policy.js';

export const ALERT_RULES = [
  'drift',
  'accuracy-decay',
  'coverage-break',
  'flow-failures',
  'stale-data',
  'quarantine-spike',
  'retrain-stopped',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** The event bus's alert severities (AlertRaised.severity). */
type AlertSeverity = 'info' | 'warning' | 'critical';

export interface AlertSettings {
  /** Consecutive drifted monitoring windows that raise `drift`. @defaultValue 3 */
  driftRuns: number;
  /** Matured forecasts before accuracy and coverage can raise anything. @defaultValue 60 */
  minMatured: number;
  /** `accuracy-decay` when realised skill is below -skillMargin. @defaultValue 0.02 */
  skillMargin: number;
  /** `coverage-break` when an interval's realised coverage is below its level by more than this. @defaultValue 0.1 */
  coverageTolerance: number;
  /** `flow-failures` when a flow's last runs failed this many times in a row. @defaultValue 3 */
  flowFailures: number;
  /** `stale-data` when a scheduled ticker misses more than this many closed sessions. @defaultValue 2 */
  staleSessions: number;
  /** `quarantine-spike` when a ticker had more rows quarantined in 24 hours. @defaultValue 50 */
  quarantineRows: number;
}

export const DEFAULT_ALERT_SETTINGS: Readonly<AlertSettings> = {
  driftRuns: 3,
  minMatured: 60,
  skillMargin: 0.02,
  coverageTolerance: 0.1,
  flowFailures: 3,
  staleSessions: 2,
  quarantineRows: 50,
};

/** A condition that holds now: what an open alert says. */
export interface AlertCondition {
  /** `rule:subject`: at most one open alert per key. */
  key: string;
  rule: AlertRule;
  severity: AlertSeverity;
  ticker: string | null;
  horizon: number | null;
  message: string;
  value: number | null;
  threshold: number | null;
}

export interface ModelAlertFacts {
  name: string;
  ticker: string;
  horizon: number;
  /** Dataset drift of the latest monitoring windows, newest first. */
  driftWindows: readonly boolean[];
  accuracy: { matured: number; skill: number; coverage: Record<string, number> } | null;
  /** Failed retrains in a row when the retrain policy stopped for this model; null while it runs. */
  retrainStopped: number | null;
}

export interface AlertFacts {
  models: readonly ModelAlertFacts[];
  /** Failed runs in a row at the head of each flow's history. */
  flows: readonly { flow: string; consecutiveFailures: number }[];
  /** Tickers a schedule fetches, with the closed sessions missing after their last bar. */
  tickers: readonly { ticker: string; lastBarDate: string | null; sessionsBehind: number }[];
  /** Rows quarantined per ticker in the last 24 hours. */
  quarantine: readonly { ticker: string; rows: number }[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function alertConditions(s: AlertSettings, f: AlertFacts): AlertCondition[] {
  const out: AlertCondition[] = [];
  for (const m of f.models) {
    const on = { ticker: m.ticker, horizon: m.horizon };
    const drifted = consecutiveFromNewest(m.driftWindows);
    if (drifted >= s.driftRuns) {
      out.push({
        key: `drift:${m.name}`,
        rule: 'drift',
        severity: 'warning',
        ...on,
        message: `${m.name}: data drift in the last ${drifted} monitoring windows`,
        value: drifted,
        threshold: s.driftRuns,
      });
    }
    if (m.accuracy && m.accuracy.matured >= s.minMatured) {
      if (m.accuracy.skill < -s.skillMargin) {
        out.push({
          key: `accuracy-decay:${m.name}`,
          rule: 'accuracy-decay',
          severity: 'warning',
          ...on,
          message: `${m.name}: realised skill ${pct(m.accuracy.skill)} vs naive over ${m.accuracy.matured} matured forecasts`,
          value: m.accuracy.skill,
          threshold: -s.skillMargin,
        });
      }
      for (const [level, coverage] of Object.entries(m.accuracy.coverage)) {
        const nominal = Number(level) / 100;
        if (Number.isFinite(coverage) && coverage < nominal - s.coverageTolerance) {
          out.push({
            key: `coverage-break:${m.name}:${level}`,
            rule: 'coverage-break',
            severity: 'warning',
            ...on,
            message: `${m.name}: the ${level}% interval covered ${pct(coverage)} of ${m.accuracy.matured} matured forecasts`,
            value: coverage,
            threshold: nominal - s.coverageTolerance,
          });
        }
      }
    }
    if (m.retrainStopped !== null) {
      out.push({
        key: `retrain-stopped:${m.name}`,
        rule: 'retrain-stopped',
        severity: 'critical',
        ...on,
        message: `${m.name}: ${m.retrainStopped} retrains failed in a row; the retrain policy stopped for this model`,
        value: m.retrainStopped,
        threshold: null,
      });
    }
  }
  for (const fl of f.flows) {
    if (fl.consecutiveFailures >= s.flowFailures) {
      out.push({
        key: `flow-failures:${fl.flow}`,
        rule: 'flow-failures',
        severity: 'critical',
        ticker: null,
        horizon: null,
        message: `flow ${fl.flow}: the last ${fl.consecutiveFailures} runs failed`,
        value: fl.consecutiveFailures,
        threshold: s.flowFailures,
      });
    }
  }
  for (const t of f.tickers) {
    if (t.sessionsBehind > s.staleSessions) {
      out.push({
        key: `stale-data:${t.ticker}`,
        rule: 'stale-data',
        severity: 'warning',
        ticker: t.ticker,
        horizon: null,
        message: `${t.ticker}: no new bars for ${t.sessionsBehind} trading sessions${t.lastBarDate ? ` (last bar ${t.lastBarDate})` : ''}`,
        value: t.sessionsBehind,
        threshold: s.staleSessions,
      });
    }
  }
  for (const q of f.quarantine) {
    if (q.rows > s.quarantineRows) {
      out.push({
        key: `quarantine-spike:${q.ticker}`,
        rule: 'quarantine-spike',
        severity: 'warning',
        ticker: q.ticker,
        horizon: null,
        message: `${q.ticker}: ${q.rows} rows quarantined in the last 24 hours`,
        value: q.rows,
        threshold: s.quarantineRows,
      });
    }
  }
  return out;
}

/**
 * Closed sessions of the ticker's exchange after its last bar: trading days strictly between the last bar
 * and `today` (UTC date). Today's own session is left out because it may not have closed yet; the US and
 * Taipei sessions close on the same UTC date, so an earlier date's session has always closed.
 */
export function sessionsBehind(
  ticker: string,
  lastBarDate: string,
  today: string,
  calendar: TradingCalendar = calendarFor(ticker),
): number {
  let n = 0;
  // The bound only guards against a broken calendar; ten years of sessions is far past any alert.
  for (
    let d = addDays(lastBarDate, 1), guard = 0;
    d < today && guard < 3660;
    d = addDays(d, 1), guard++
  ) {
    if (calendar.isTradingDay(d)) {
      n++;
    }
  }
  return n;
}

/** Alert settings from a partial patch over the defaults, every field checked. */
export function checkAlertSettings(patch: Partial<AlertSettings>): AlertSettings {
  const out = { ...DEFAULT_ALERT_SETTINGS, ...patch };
  for (const k of [
    'driftRuns',
    'minMatured',
    'flowFailures',
    'staleSessions',
    'quarantineRows',
  ] as const) {
    if (!Number.isInteger(out[k]) || out[k] < 0) {
      throw new InvalidInputError(k, `expected a non-negative integer, found ${out[k]}`);
    }
  }
  for (const k of ['skillMargin', 'coverageTolerance'] as const) {
    if (!(out[k] >= 0 && out[k] <= 1)) {
      throw new InvalidInputError(k, `expected a number in [0, 1], found ${out[k]}`);
    }
  }
  return out;
}
