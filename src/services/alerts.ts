// Alerts: the facts the rules read (also what the Prometheus gauges show), the rules applied to them, and the store brought in line: new conditions raised once, ended ones resolved, acknowledgements by a person.
import {
  alertConditions,
  AlertNotFoundError,
  consecutiveFromNewest,
  ConflictError,
  DEFAULT_ALERT_SETTINGS,
  DEFAULT_RETRAIN_POLICY,
  makeEvent,
  sessionsBehind,
  type AlertQuery,
  type AlertRecord,
  type FlowRunRecord,
  type ModelAlertFacts,
} from '../core/index.js';
import { today, type ServiceDeps } from './deps.js';
import { DEFAULT_TICKERS } from './etl.js';
import { monitorStoresOf, servedModels } from './monitor.js';
import { latestRealised } from './realised.js';

const DAY_MS = 86_400_000;
const isTaiwan = (s: string) => /\.TWO?$/i.test(s);

/** What the alert rules and the monitoring gauges read, gathered at once. */
export interface MonitoringFacts {
  models: (ModelAlertFacts & {
    version: number;
    /** Share of drifted features in the latest window with a verdict; null before any. */
    driftShare: number | null;
    lastWindowTo: string | null;
    /** Realised accuracy of the champion's matured forecasts (with RMSEs and rates); null before any. */
    realised: NonNullable<MonitoringSnapshotData['models'][number]['accuracy']> | null;
  })[];
  flows: { flow: string; consecutiveFailures: number }[];
  tickers: { ticker: string; lastBarDate: string | null; sessionsBehind: number }[];
  quarantine: { ticker: string; rows: number }[];
}

/** Failed runs in a row at the head of each flow's history (runs still going and cancelled ones skipped). */
export function failuresInARow(runs: readonly FlowRunRecord[]): Map<string, number> {
  const out = new Map<string, number>();
  const settled = new Set<string>();
  for (const r of runs) {
    if (settled.has(r.flow)) {
      continue;
    }
    if (r.state === 'Failed') {
      out.set(r.flow, (out.get(r.flow) ?? 0) + 1);
    } else if (r.state === 'Completed') {
      settled.add(r.flow);
      out.set(r.flow, out.get(r.flow) ?? 0);
    }
  }
  return out;
}

/** The tickers enabled ETL schedules fetch: their own list, or the default and stored tickers of their market. */
async function scheduledTickers(deps: ServiceDeps, stored: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const s of await monitorStoresOf(deps).runs.listSchedules()) {
    if (s.flow !== 'etl' || !s.enabled) {
      continue;
    }
    const listed = s.parameters.tickers;
    if (Array.isArray(listed)) {
      listed.filter((t): t is string => typeof t === 'string').forEach((t) => out.add(t));
      continue;
    }
    const market = typeof s.parameters.market === 'string' ? s.parameters.market : 'ALL';
    for (const t of [...DEFAULT_TICKERS, ...stored]) {
      if (market === 'ALL' || (market === 'TW') === isTaiwan(t)) {
        out.add(t);
      }
    }
  }
  return [...out].sort();
}

export async function monitoringFacts(deps: ServiceDeps): Promise<MonitoringFacts> {
  const stores = monitorStoresOf(deps);
  const settings = deps.alertSettings ?? DEFAULT_ALERT_SETTINGS;
  const atMs = (deps.now ? deps.now() : new Date()).getTime();
  const models: MonitoringFacts['models'] = [];
  const policyLimit = (deps.retrainPolicy ?? DEFAULT_RETRAIN_POLICY).driftRuns;
  for (const m of await servedModels(deps)) {
    const windows = await stores.reports.windows(
      m.name,
      m.champion.version,
      Math.max(settings.driftRuns, policyLimit),
    );
    const latest = windows[0] ? await stores.reports.get(windows[0].reportId) : null;
    const lastDecision = (await stores.decisions.list({ model: m.name, limit: 1 }))[0];
    const r = await latestRealised(deps, m.name, m.champion.version);
    const realised = r
      ? {
          matured: r.matured,
          rmse: r.rmse,
          rmseNaive: r.rmseNaive,
          skill: r.skill,
          directionAccuracy: r.directionAccuracy,
          upRate: r.upRate,
          coverage: r.coverage,
        }
      : null;
    models.push({
      name: m.name,
      ticker: m.ticker,
      horizon: m.horizon,
      version: m.champion.version,
      driftWindows: windows.map((w) => w.drift),
      driftShare: latest?.featureDrift?.share ?? null,
      lastWindowTo: windows[0]?.windowTo ?? null,
      accuracy: realised,
      realised,
      retrainStopped:
        lastDecision?.suppressedBy === 'failures'
          ? (lastDecision.numbers.consecutiveFailures ?? 0)
          : null,
    });
  }
  const runs = await stores.runs.listRuns({ limit: 500 });
  const flows = [...failuresInARow(runs)].map(([flow, consecutiveFailures]) => ({
    flow,
    consecutiveFailures,
  }));
  const summaries = await deps.prices.listTickers();
  const lastBar = new Map(summaries.map((t) => [t.symbol, t.lastDate]));
  const day = today(deps);
  // A ticker never loaded is not stale: a failing ETL says so through flow-failures.
  const tickers = (await scheduledTickers(deps, [...lastBar.keys()]))
    .filter((t) => lastBar.has(t))
    .map((t) => {
      const last = lastBar.get(t) ?? null;
      return {
        ticker: t,
        lastBarDate: last,
        sessionsBehind: last ? sessionsBehind(t, last, day) : 0,
      };
    });
  const quarantine = await stores.quarantine.countSince(atMs - DAY_MS);
  return { models, flows, tickers, quarantine };
}

/** Raised and resolved alerts on the event bus (channel `alerts`, and so `/ws/alerts`); alerts stay in the store either way. */
export function announceAlert(
  deps: Pick<ServiceDeps, 'events'>,
  kind: 'raised' | 'resolved',
  a: AlertRecord,
): void {
  if (!deps.events) {
    return;
  }
  const subject = { alertId: String(a.id), rule: a.rule, ticker: a.ticker, horizon: a.horizon };
  deps.events.publish(
    kind === 'raised'
      ? makeEvent('alert.raised', {
          ...subject,
          severity: a.severity,
          message: a.message,
          value: a.value,
          threshold: a.threshold,
          raisedAt: a.raisedAt,
        })
      : makeEvent('alert.resolved', {
          ...subject,
          message: a.message,
          resolvedAt: a.resolvedAt ?? Date.now(),
        }),
  );
}

/** What one evaluation changed. */
export interface AlertChanges {
  raised: AlertRecord[];
  resolved: AlertRecord[];
  /** Open alerts after the evaluation. */
  open: number;
}

/**
 * Applies the rules to the facts and brings the store in line: a condition without an open alert raises
 * one (an open one is kept up to date, never raised twice), an open alert whose condition no longer holds
 * is resolved. `onChange` hears each raise and resolution (the event bus).
 */
export async function evaluateAlerts(
  deps: ServiceDeps,
  facts: MonitoringFacts,
  onChange?: (kind: 'raised' | 'resolved', alert: AlertRecord) => void,
): Promise<AlertChanges> {
  const stores = monitorStoresOf(deps);
  const at = (deps.now ? deps.now() : new Date()).getTime();
  const conditions = alertConditions(deps.alertSettings ?? DEFAULT_ALERT_SETTINGS, facts);
  const raised: AlertRecord[] = [];
  const resolved: AlertRecord[] = [];
  for (const c of conditions) {
    const r = await stores.alerts.raise(c, at);
    if (r.created) {
      raised.push(r.alert);
      announceAlert(deps, 'raised', r.alert);
      onChange?.('raised', r.alert);
    }
  }
  const holding = new Set(conditions.map((c) => c.key));
  for (const a of await stores.alerts.list({ state: 'open', limit: 10_000 })) {
    if (!holding.has(a.key)) {
      const done = await stores.alerts.resolve(a.id, at);
      if (done) {
        resolved.push(done);
        announceAlert(deps, 'resolved', done);
        onChange?.('resolved', done);
      }
    }
  }
  return { raised, resolved, open: conditions.length };
}

export function listAlerts(
  deps: Pick<ServiceDeps, 'monitorStores'>,
  query: AlertQuery,
): Promise<AlertRecord[]> {
  return monitorStoresOf(deps).alerts.list(query);
}

/** A person acknowledges an alert: it stays open until its condition ends, marked as seen. */
export async function acknowledgeAlert(
  deps: Pick<ServiceDeps, 'monitorStores' | 'now'>,
  id: number,
  by: string,
): Promise<AlertRecord> {
  const stores = monitorStoresOf(deps);
  const at = (deps.now ? deps.now() : new Date()).getTime();
  const a = await stores.alerts.acknowledge(id, by, at);
  if (!a) {
    if (await stores.alerts.get(id)) {
      throw new ConflictError(`Alert ${id} is resolved; only open alerts are acknowledged.`);
    }
    throw new AlertNotFoundError(id);
  }
  return a;
}

/** What the monitoring metrics show (src/metrics/monitoring.ts has the same shape). */
export interface MonitoringSnapshotData {
  models: {
    ticker: string;
    horizon: number;
    version: number;
    driftShare: number | null;
    drift: boolean | null;
    driftWindows: number;
    lastWindowTo: string | null;
    retrainStopped: boolean;
    accuracy: {
      matured: number;
      rmse: number;
      rmseNaive: number;
      skill: number;
      directionAccuracy: number;
      upRate: number;
      coverage: Record<string, number>;
    } | null;
  }[];
  flows: { flow: string; consecutiveFailures: number }[];
  tickers: { ticker: string; lastBarDate: string | null; sessionsBehind: number }[];
  quarantinedTotal: { ticker: string; rows: number }[];
  openAlerts: { rule: string; severity: string; count: number }[];
  retrainsStarted: number;
}

/** The monitoring facts and the stores' totals, for the Prometheus metrics read at scrape time. */
export async function monitoringSnapshot(deps: ServiceDeps): Promise<MonitoringSnapshotData> {
  const stores = monitorStoresOf(deps);
  const facts = await monitoringFacts(deps);
  const open = new Map<string, { rule: string; severity: string; count: number }>();
  for (const a of await stores.alerts.list({ state: 'open', limit: 10_000 })) {
    const k = `${a.rule}\u0000${a.severity}`;
    const e = open.get(k) ?? { rule: a.rule, severity: a.severity, count: 0 };
    e.count++;
    open.set(k, e);
  }
  return {
    models: facts.models.map((m) => ({
      ticker: m.ticker,
      horizon: m.horizon,
      version: m.version,
      driftShare: m.driftShare,
      drift: m.driftWindows[0] ?? null,
      driftWindows: consecutiveFromNewest(m.driftWindows),
      lastWindowTo: m.lastWindowTo,
      retrainStopped: m.retrainStopped !== null,
      accuracy: m.realised ?? null,
    })),
    flows: facts.flows,
    tickers: facts.tickers,
    quarantinedTotal: await stores.quarantine.countSince(0),
    openAlerts: [...open.values()],
    retrainsStarted: await stores.decisions.countRetrainsSince(0),
  };
}
