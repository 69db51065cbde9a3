// Monitoring, retrain policy and alert settings from the environment; each variable checked and named when wrong.
import {
  ConfigError,
  DEFAULT_ALERT_SETTINGS,
  DEFAULT_MONITORING_THRESHOLDS,
  DEFAULT_MONITORING_SETTINGS,
  DEFAULT_RETRAIN_POLICY,
  DRIFT_TESTS,
  InvalidInputError,
  checkAlertSettings,
  checkMonitoringSettings,
  checkRetrainPolicy,
  type AlertSettings,
  type DriftTestChoice,
  type MonitoringSettings,
  type RetrainPolicySettings,
} from '../core/index.js';

type Env = Readonly<Record<string, string | undefined>>;

const raw = (env: Env, key: string): string | undefined => {
  const v = env[key];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
};

function num(env: Env, key: string, def: number, integer: boolean): number {
  const v = raw(env, key);
  if (v === undefined) {
    return def;
  }
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new ConfigError(`${key} must be ${integer ? 'an integer' : 'a number'}, found "${v}"`);
  }
  return n;
}

/** A rule that can be switched off: `off` (or `none`) is null. */
function optionalInt(env: Env, key: string, def: number | null): number | null {
  const v = raw(env, key);
  if (v === undefined) {
    return def;
  }
  if (['off', 'none'].includes(v.toLowerCase())) {
    return null;
  }
  return num(env, key, 0, true);
}

function bool(env: Env, key: string, def: boolean): boolean {
  const v = raw(env, key);
  if (v === undefined) {
    return def;
  }
  if (!['true', 'false', '1', '0'].includes(v)) {
    throw new ConfigError(`${key} must be true or false, found "${v}"`);
  }
  return v === 'true' || v === '1';
}

/** Runs a check that names a field, and says which variable holds that field. */
function checked<T>(vars: Record<string, string>, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof InvalidInputError) {
      const field = typeof e.details?.field === 'string' ? e.details.field : '';
      const name = vars[field] ?? field;
      throw new ConfigError(`${name}: ${e.message.replace(/^[^:]*: /, '')}`);
    }
    throw e;
  }
}

function driftColumns(env: Env): Record<string, DriftTestChoice> {
  const v = raw(env, 'STOCKOPS_DRIFT_COLUMNS');
  if (v === undefined) {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw new ConfigError(
      `STOCKOPS_DRIFT_COLUMNS must be JSON like {"ret_1": {"test": "ks", "threshold": 0.01}}, found "${v}"`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('STOCKOPS_DRIFT_COLUMNS must be a JSON object keyed by feature name');
  }
  const out: Record<string, DriftTestChoice> = {};
  for (const [name, choice] of Object.entries(parsed as Record<string, unknown>)) {
    const c = (choice ?? {}) as { test?: unknown; threshold?: unknown };
    if (c.test !== undefined && !(DRIFT_TESTS as readonly unknown[]).includes(c.test)) {
      throw new ConfigError(
        `STOCKOPS_DRIFT_COLUMNS.${name}.test must be one of ${DRIFT_TESTS.join(', ')}`,
      );
    }
    if (c.threshold !== undefined && (typeof c.threshold !== 'number' || !(c.threshold > 0))) {
      throw new ConfigError(`STOCKOPS_DRIFT_COLUMNS.${name}.threshold must be a positive number`);
    }
    out[name] = {
      ...(c.test !== undefined ? { test: c.test as DriftTestChoice['test'] } : {}),
      ...(c.threshold !== undefined ? { threshold: c.threshold } : {}),
    };
  }
  return out;
}

export function monitoringFrom(env: Env): MonitoringSettings {
  const d = DEFAULT_MONITORING_SETTINGS;
  const settings: MonitoringSettings = {
    windowRows: num(env, 'STOCKOPS_MONITOR_WINDOW', d.windowRows, true),
    referenceRows: num(env, 'STOCKOPS_MONITOR_REFERENCE_ROWS', d.referenceRows, true),
    thresholds: {
      ...DEFAULT_MONITORING_THRESHOLDS,
      minSamples: num(env, 'STOCKOPS_MONITOR_MIN_SAMPLES', d.thresholds.minSamples, true),
      driftShare: num(env, 'STOCKOPS_DRIFT_SHARE', d.thresholds.driftShare, false),
      columns: driftColumns(env),
    },
    realisedWindow: num(env, 'STOCKOPS_MONITOR_REALISED_WINDOW', d.realisedWindow, true),
  };
  return checked(
    {
      windowRows: 'STOCKOPS_MONITOR_WINDOW',
      referenceRows: 'STOCKOPS_MONITOR_REFERENCE_ROWS',
      realisedWindow: 'STOCKOPS_MONITOR_REALISED_WINDOW',
      'thresholds.minSamples': 'STOCKOPS_MONITOR_MIN_SAMPLES',
      'thresholds.driftShare': 'STOCKOPS_DRIFT_SHARE',
    },
    () => checkMonitoringSettings(settings),
  );
}

const RETRAIN_VARS: Record<keyof RetrainPolicySettings, string> = {
  enabled: 'STOCKOPS_RETRAIN_ENABLED',
  driftRuns: 'STOCKOPS_RETRAIN_DRIFT_RUNS',
  minMatured: 'STOCKOPS_RETRAIN_MIN_MATURED',
  skillMargin: 'STOCKOPS_RETRAIN_SKILL_MARGIN',
  maxAgeDays: 'STOCKOPS_RETRAIN_MAX_AGE_DAYS',
  newBars: 'STOCKOPS_RETRAIN_NEW_BARS',
  cooldownDays: 'STOCKOPS_RETRAIN_COOLDOWN_DAYS',
  maxPerDay: 'STOCKOPS_RETRAIN_MAX_PER_DAY',
  maxFailures: 'STOCKOPS_RETRAIN_MAX_FAILURES',
  approval: 'STOCKOPS_RETRAIN_APPROVAL',
  approvalTimeoutHours: 'STOCKOPS_RETRAIN_APPROVAL_TIMEOUT_HOURS',
  approvalTimeoutAction: 'STOCKOPS_RETRAIN_APPROVAL_TIMEOUT_ACTION',
};

/** The retrain policy's settings until one is stored with PUT /api/retrain-policy. */
export function retrainPolicyFrom(env: Env): RetrainPolicySettings {
  const d = DEFAULT_RETRAIN_POLICY;
  const v = RETRAIN_VARS;
  const patch = {
    enabled: bool(env, v.enabled, d.enabled),
    driftRuns: num(env, v.driftRuns, d.driftRuns, true),
    minMatured: num(env, v.minMatured, d.minMatured, true),
    skillMargin: num(env, v.skillMargin, d.skillMargin, false),
    maxAgeDays: optionalInt(env, v.maxAgeDays, d.maxAgeDays),
    newBars: optionalInt(env, v.newBars, d.newBars),
    cooldownDays: num(env, v.cooldownDays, d.cooldownDays, false),
    maxPerDay: num(env, v.maxPerDay, d.maxPerDay, true),
    maxFailures: num(env, v.maxFailures, d.maxFailures, true),
    approval: bool(env, v.approval, d.approval),
    approvalTimeoutHours: num(env, v.approvalTimeoutHours, d.approvalTimeoutHours, false),
    approvalTimeoutAction: (raw(env, v.approvalTimeoutAction) ??
      d.approvalTimeoutAction) as RetrainPolicySettings['approvalTimeoutAction'],
  };
  return checked(v, () => checkRetrainPolicy(patch));
}

export function alertsFrom(env: Env): AlertSettings {
  const d = DEFAULT_ALERT_SETTINGS;
  const vars: Record<keyof AlertSettings, string> = {
    driftRuns: 'STOCKOPS_ALERT_DRIFT_RUNS',
    minMatured: 'STOCKOPS_ALERT_MIN_MATURED',
    skillMargin: 'STOCKOPS_ALERT_SKILL_MARGIN',
    coverageTolerance: 'STOCKOPS_ALERT_COVERAGE_TOLERANCE',
    flowFailures: 'STOCKOPS_ALERT_FLOW_FAILURES',
    staleSessions: 'STOCKOPS_ALERT_STALE_SESSIONS',
    quarantineRows: 'STOCKOPS_ALERT_QUARANTINE_ROWS',
  };
  return checked(vars, () =>
    checkAlertSettings({
      driftRuns: num(env, vars.driftRuns, d.driftRuns, true),
      minMatured: num(env, vars.minMatured, d.minMatured, true),
      skillMargin: num(env, vars.skillMargin, d.skillMargin, false),
      coverageTolerance: num(env, vars.coverageTolerance, d.coverageTolerance, false),
      flowFailures: num(env, vars.flowFailures, d.flowFailures, true),
      staleSessions: num(env, vars.staleSessions, d.staleSessions, true),
      quarantineRows: num(env, vars.quarantineRows, d.quarantineRows, true),
    }),
  );
}
