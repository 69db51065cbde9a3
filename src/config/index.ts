// Typed configuration from the environment, validated once at start.
import { availableParallelism, hostname } from 'node:os';
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
  /**
   * Start a monitor run for the ticker of every ETL load, heard on the event bus as `data.loaded`
   * (STOCKOPS_MONITOR_ON_LOAD); the schedules run it either way. @defaultValue true
   */
  monitorOnLoad: boolean;
  /** Where `stockops worker` serves Prometheus metrics (STOCKOPS_METRICS_PORT; 0: any free port); null: none. */
  metricsPort: number | null;
  /**
   * This process in events, logs, metrics and the `x-stockops-instance` header (STOCKOPS_INSTANCE).
   * @defaultValue `${hostname()}-${process.pid}`
   */
  instanceId: string;
  /** The event bus and what rides on it: Kafka, the metrics publisher, WebSockets. */
  events: EventsConfig;
  /** Grafana's base URL (GRAFANA_URL), linked from the Live page; null hides the link. */
  grafanaUrl: string | null;
  /** Serving at scale: cache, forecast log, protection, deadlines and drain (STOCKOPS_* below). */
  serving: ServingConfig;
}

export interface EventsConfig {
  /** Kafka brokers (KAFKA_BROKERS=host:port,...); null = the in-process bus. */
  kafkaBrokers: string[] | null;
  /** Topics are `<prefix>.<channel>` (KAFKA_TOPIC_PREFIX). @defaultValue 'stockops' */
  topicPrefix: string;
  /** Events waiting to be sent before new ones are dropped (STOCKOPS_EVENTS_BUFFER). @defaultValue 10000 */
  maxBuffered: number;
  /** How often each process publishes a metrics.sample (STOCKOPS_METRICS_SAMPLE_MS). @defaultValue 2000 */
  metricsSampleMs: number;
  /** Open WebSocket connections per process; more are closed with 1013 (STOCKOPS_WS_MAX_CONNECTIONS). @defaultValue 1000 */
  wsMaxConnections: number;
  /** Bytes a WebSocket may have waiting to be sent; past it the client is closed with 4008 (STOCKOPS_WS_MAX_BUFFERED_BYTES). @defaultValue 1048576 */
  wsMaxBufferedBytes: number;
  /** Ping interval; a client that has not answered the previous ping is dropped (STOCKOPS_WS_PING_MS). @defaultValue 30000 */
  wsPingMs: number;
}

export interface ServingConfig {
  /** Keep computed forecasts in memory (STOCKOPS_SERVING_CACHE); off runs features and model per request. @defaultValue true */
  cache: boolean;
  /**
   * How long a champion or last bar date is trusted without a Redis invalidation channel
   * (STOCKOPS_SERVING_RECHECK_MS): the bound on how late another replica's change is served. @defaultValue 1000
   */
  recheckMs: number;
  /** Time between forecast-log writes (STOCKOPS_FORECAST_LOG_FLUSH_MS). @defaultValue 100 */
  forecastLogFlushMs: number;
  /** Distinct forecasts held for the log while its store is down (STOCKOPS_FORECAST_LOG_BUFFER). @defaultValue 10000 */
  forecastLogBuffer: number;
  /**
   * Requests per window per API key (or client address) on /api (STOCKOPS_RATE_LIMIT_MAX; 0 = off), over
   * STOCKOPS_RATE_LIMIT_WINDOW_MS; counted in Redis when REDIS_URL is set, so the limit holds across replicas.
   * @defaultValue { max: 1200, windowMs: 60000 }
   */
  rateLimit: { max: number; windowMs: number };
  /** Event-loop delay past which requests get 503 OVERLOADED (STOCKOPS_MAX_EVENT_LOOP_DELAY_MS; 0 = off). @defaultValue 1000 */
  maxEventLoopDelayMs: number;
  /** Deadline of one request, body included (STOCKOPS_REQUEST_TIMEOUT_MS); nginx's proxy timeouts match it. @defaultValue 30000 */
  requestTimeoutMs: number;
  /** Longest a SIGTERM drain takes before the process exits anyway (STOCKOPS_DRAIN_TIMEOUT_MS). @defaultValue 10000 */
  drainTimeoutMs: number;
  /**
   * First part of a drain, while the replica still answers but closes each keep-alive connection after its
   * response (STOCKOPS_DRAIN_GRACE_MS), so a proxy stops reusing them before the listener closes. @defaultValue 1000
   */
  drainGraceMs: number;
  /**
   * Proxies whose X-Forwarded-For is believed, for the client address of the rate limit (STOCKOPS_TRUST_PROXY:
   * `loopback`, a comma-separated list of addresses/CIDRs, or `false`). @defaultValue 'loopback'
   */
  trustProxy: string | false;
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
    monitorOnLoad: boolFrom(env, 'STOCKOPS_MONITOR_ON_LOAD', true),
    metricsPort: nonEmpty(env.STOCKOPS_METRICS_PORT)
      ? intFrom(env, 'STOCKOPS_METRICS_PORT', 0, 0, 65535)
      : null,
    instanceId: nonEmpty(env.STOCKOPS_INSTANCE) ?? `${hostname()}-${process.pid}`,
    events: eventsFrom(env),
    grafanaUrl: grafanaFrom(env),
    serving: servingFrom(env),
  };
}

function servingFrom(env: Env): ServingConfig {
  const trust = nonEmpty(env.STOCKOPS_TRUST_PROXY) ?? 'loopback';
  return {
    cache: boolFrom(env, 'STOCKOPS_SERVING_CACHE', true),
    recheckMs: intFrom(env, 'STOCKOPS_SERVING_RECHECK_MS', 1000, 0, 3_600_000),
    forecastLogFlushMs: intFrom(env, 'STOCKOPS_FORECAST_LOG_FLUSH_MS', 100, 1, 60_000),
    forecastLogBuffer: intFrom(env, 'STOCKOPS_FORECAST_LOG_BUFFER', 10_000, 1, 10_000_000),
    rateLimit: {
      max: intFrom(env, 'STOCKOPS_RATE_LIMIT_MAX', 1200, 0, 100_000_000),
      windowMs: intFrom(env, 'STOCKOPS_RATE_LIMIT_WINDOW_MS', 60_000, 100, 86_400_000),
    },
    maxEventLoopDelayMs: intFrom(env, 'STOCKOPS_MAX_EVENT_LOOP_DELAY_MS', 1000, 0, 600_000),
    requestTimeoutMs: intFrom(env, 'STOCKOPS_REQUEST_TIMEOUT_MS', 30_000, 1000, 3_600_000),
    drainTimeoutMs: intFrom(env, 'STOCKOPS_DRAIN_TIMEOUT_MS', 10_000, 100, 600_000),
    drainGraceMs: intFrom(env, 'STOCKOPS_DRAIN_GRACE_MS', 1000, 0, 600_000),
    trustProxy: trust === 'false' ? false : trust,
  };
}

function eventsFrom(env: Env): EventsConfig {
  const prefix = nonEmpty(env.KAFKA_TOPIC_PREFIX) ?? 'stockops';
  // Kafka topic names: letters, digits, '.', '_' and '-' (249 at most, with the channel appended).
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(prefix)) {
    throw new ConfigError(
      `KAFKA_TOPIC_PREFIX must be letters, digits, '.', '_' or '-' (at most 200), found "${prefix}"`,
    );
  }
  return {
    kafkaBrokers: kafkaBrokersFrom(env),
    topicPrefix: prefix,
    maxBuffered: intFrom(env, 'STOCKOPS_EVENTS_BUFFER', 10_000, 1, 10_000_000),
    metricsSampleMs: intFrom(env, 'STOCKOPS_METRICS_SAMPLE_MS', 2_000, 100, 3_600_000),
    wsMaxConnections: intFrom(env, 'STOCKOPS_WS_MAX_CONNECTIONS', 1_000, 0, 1_000_000),
    wsMaxBufferedBytes: intFrom(env, 'STOCKOPS_WS_MAX_BUFFERED_BYTES', 1_048_576, 1_024, 1 << 30),
    wsPingMs: intFrom(env, 'STOCKOPS_WS_PING_MS', 30_000, 100, 3_600_000),
  };
}

function kafkaBrokersFrom(env: Env): string[] | null {
  const raw = nonEmpty(env.KAFKA_BROKERS);
  if (raw === undefined) {
    return null;
  }
  const brokers = raw.split(',').map((b) => b.trim());
  for (const b of brokers) {
    if (!/^(\[[0-9a-fA-F:]+\]|[^\s:/,]+):\d{1,5}$/.test(b)) {
      throw new ConfigError(
        `KAFKA_BROKERS must be host:port[,host:port...] (e.g. 127.0.0.1:9092 from scripts/services/kafka.sh), found "${raw}"`,
      );
    }
  }
  return brokers;
}

function grafanaFrom(env: Env): string | null {
  const url = nonEmpty(env.GRAFANA_URL);
  if (url === undefined) {
    return null;
  }
  if (!/^https?:\/\/[^/\s]+/i.test(url)) {
    throw new ConfigError(`GRAFANA_URL must be an http(s) URL, found "${url}"`);
  }
  return url.replace(/\/+$/, '');
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
