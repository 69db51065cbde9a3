// Typed configuration from the environment, validated once at start.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import {
  ConfigError,
  type AlertSettings,
  type MonitoringSettings,
  type RetrainPolicySettings,
} from '../core/index.js';
import { alertsFrom, monitoringFrom, retrainPolicyFrom } from './monitoring.js';

export interface Config {
  /** @defaultValue 8000 */
  port: number;
  /** @defaultValue '127.0.0.1' */
  host: string;
  /** Data folder. @defaultValue './.stockops' */
  home: string;
  /** @defaultValue 'pglite://$STOCKOPS_HOME/db' */
  databaseUrl: string;
  /** @defaultValue 'file://$STOCKOPS_HOME/artifacts' */
  artifactsUrl: string;
  /** When set, every mutating route needs header `x-api-key` with this value. */
  apiKey: string | null;
  /** Train the sample ticker on first start. @defaultValue true */
  bootstrap: boolean;
  /** Pino log level. @defaultValue 'info' */
  logLevel: string;
  /** BullMQ on this Redis (REDIS_URL, `redis://host:port`); null = the in-process runner. */
  redisUrl: string | null;
  /** Redis key prefix of the job queue (STOCKOPS_QUEUE_PREFIX). @defaultValue 'stockops' */
  queuePrefix: string;
  /** A running flow run whose worker stays silent this long is Crashed and retried (STOCKOPS_FLOW_LEASE_MS). @defaultValue 15000 */
  flowLeaseMs: number;
  /** Install and fire the default schedules (STOCKOPS_SCHEDULES). @defaultValue true */
  schedules: boolean;
  /**
   * Worker threads that fit models, and flow runs the in-process runner executes at once (STOCKOPS_FIT_THREADS);
   * 0 (`0` or `off`) fits on the main thread, one run at a time. @defaultValue os.availableParallelism()
   */
  fitThreads: number;
  /** Real MLflow server for runs and models (MLFLOW_TRACKING_URI and its basic-auth variables); null = built-in. */
  mlflow: {
    trackingUri: string;
    username?: string;
    password?: string;
    /** Prefix for experiment and model names (STOCKOPS_MLFLOW_PREFIX). @defaultValue '' */
    namePrefix: string;
  } | null;
  /** For s3:// artifact URLs: S3_ENDPOINT (MinIO; path-style), AWS_REGION and the AWS key pair. */
  s3: {
    endpoint?: string;
    region?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
  /** The promotion gate (PROMOTION_METRIC, PROMOTION_MARGIN). */
  promotion: PromotionConfig;
  /** ClickHouse for the cleaned series and history reads (CLICKHOUSE_URL, `http://host:8123[/db]`); null = SQL only. */
  clickhouseUrl: string | null;
  /** Where the ETL fetches bars (PRICE_SOURCE_URL): `yahoo://`, or `file://DIR` of recorded chart() responses. @defaultValue 'yahoo://' */
  priceSourceUrl: string;
  /** The monitor's window and the drift thresholds new versions record (STOCKOPS_MONITOR_*, STOCKOPS_DRIFT_*). */
  monitoring: MonitoringSettings;
  /** The retrain policy until one is stored by PUT /api/retrain-policy (STOCKOPS_RETRAIN_*). */
  retrainPolicy: RetrainPolicySettings;
  /** Thresholds of the alert rules (STOCKOPS_ALERT_*). */
  alerts: AlertSettings;
  /** Where `stockops worker` serves Prometheus metrics (STOCKOPS_METRICS_PORT; 0: any free port); null: none. */
  metricsPort: number | null;
}

export interface PromotionConfig {
  /** Metric compared on the most recent evaluation window; lower is better. @defaultValue 'rmse' */
  metric: 'rmse' | 'mae';
  /** Relative improvement required over naive and champion, e.g. 0.01 = 1 %. @defaultValue 0 */
  margin: number;
}

const nonEmpty = (v: string | undefined): string | undefined =>
  v === undefined || v === '' ? undefined : v;

type Env = Readonly<Record<string, string | undefined>>;

function intFrom(env: Env, key: string, def: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') {
    return def;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${key} must be an integer in [${min}, ${max}], found "${raw}"`);
  }
  return n;
}

export function loadConfig(env: Env = process.env): Config {
  const home = resolve(
    env.STOCKOPS_HOME && env.STOCKOPS_HOME !== '' ? env.STOCKOPS_HOME : '.stockops',
  );
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; found "${logLevel}"`,
    );
  }
  const boot = env.STOCKOPS_BOOTSTRAP ?? 'true';
  if (!['true', 'false', '1', '0'].includes(boot)) {
    throw new ConfigError(`STOCKOPS_BOOTSTRAP must be true or false, found "${boot}"`);
  }
  return {
    port: intFrom(env, 'PORT', 8000, 0, 65535),
    host: env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1',
    home,
    databaseUrl:
      env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : `pglite://${home}/db`,
    artifactsUrl:
      env.ARTIFACTS_URL && env.ARTIFACTS_URL !== ''
        ? env.ARTIFACTS_URL
        : `file://${home}/artifacts`,
    apiKey: env.STOCKOPS_API_KEY && env.STOCKOPS_API_KEY !== '' ? env.STOCKOPS_API_KEY : null,
    bootstrap: boot === 'true' || boot === '1',
    logLevel,
    redisUrl: redisFrom(env),
    queuePrefix: nonEmpty(env.STOCKOPS_QUEUE_PREFIX) ?? 'stockops',
    flowLeaseMs: intFrom(env, 'STOCKOPS_FLOW_LEASE_MS', 15_000, 3_000, 3_600_000),
    schedules: boolFrom(env, 'STOCKOPS_SCHEDULES', true),
    fitThreads: fitThreadsFrom(env),
    mlflow: mlflowFrom(env),
    s3: s3From(env),
    promotion: promotionFrom(env),
    clickhouseUrl: nonEmpty(env.CLICKHOUSE_URL) ?? null,
    priceSourceUrl: nonEmpty(env.PRICE_SOURCE_URL) ?? 'yahoo://',
    monitoring: monitoringFrom(env),
    retrainPolicy: retrainPolicyFrom(env),
    alerts: alertsFrom(env),
    metricsPort: nonEmpty(env.STOCKOPS_METRICS_PORT)
      ? intFrom(env, 'STOCKOPS_METRICS_PORT', 0, 0, 65535)
      : null,
  };
}

function fitThreadsFrom(env: Env): number {
  if (nonEmpty(env.STOCKOPS_FIT_THREADS)?.trim().toLowerCase() === 'off') {
    return 0;
  }
  return intFrom(env, 'STOCKOPS_FIT_THREADS', availableParallelism(), 0, 256);
}

function redisFrom(env: Env): string | null {
  const url = nonEmpty(env.REDIS_URL);
  if (url === undefined) {
    return null;
  }
  if (!/^rediss?:\/\/./i.test(url)) {
    throw new ConfigError(`REDIS_URL must be redis://host:port (or rediss://), found "${url}"`);
  }
  return url;
}

function boolFrom(env: Env, key: string, def: boolean): boolean {
  const raw = nonEmpty(env[key]);
  if (raw === undefined) {
    return def;
  }
  if (!['true', 'false', '1', '0'].includes(raw)) {
    throw new ConfigError(`${key} must be true or false, found "${raw}"`);
  }
  return raw === 'true' || raw === '1';
}

function mlflowFrom(env: Env): Config['mlflow'] {
  const uri = nonEmpty(env.MLFLOW_TRACKING_URI);
  if (uri === undefined) {
    return null;
  }
  if (!/^https?:\/\/[^/]+/i.test(uri)) {
    throw new ConfigError(
      `MLFLOW_TRACKING_URI must be the http(s) URL of an MLflow tracking server, found "${uri}"`,
    );
  }
  const username = nonEmpty(env.MLFLOW_TRACKING_USERNAME);
  const password = nonEmpty(env.MLFLOW_TRACKING_PASSWORD);
  return {
    trackingUri: uri,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    namePrefix: env.STOCKOPS_MLFLOW_PREFIX ?? '',
  };
}

function s3From(env: Env): Config['s3'] {
  const endpoint = nonEmpty(env.S3_ENDPOINT);
  const region = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  return {
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(accessKeyId !== undefined && secretAccessKey !== undefined
      ? { credentials: { accessKeyId, secretAccessKey } }
      : {}),
  };
}

function promotionFrom(env: Env): PromotionConfig {
  const metric = env.PROMOTION_METRIC ?? 'rmse';
  if (metric !== 'rmse' && metric !== 'mae') {
    throw new ConfigError(`PROMOTION_METRIC must be rmse or mae, found "${metric}"`);
  }
  const rawMargin = env.PROMOTION_MARGIN ?? '0';
  const margin = Number(rawMargin);
  if (!Number.isFinite(margin) || margin < 0 || margin >= 1) {
    throw new ConfigError(
      `PROMOTION_MARGIN must be a relative improvement in [0, 1), found "${rawMargin}"`,
    );
  }
  return { metric, margin };
}
