// Adapter selection by URL scheme, in one place: the only code that knows which adapters exist.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  ConfigError,
  type AlertStore,
  type AliasLog,
  type ApprovalStore,
  type ArtifactStore,
  type DatasetStore,
  type DropReason,
  type EtlRunLog,
  type EventBus,
  type FlowStore,
  type ForecastLog,
  type InvalidationBus,
  type LeaseKeeper,
  type ModelLocks,
  type MonitoringReportStore,
  type PriceSource,
  type PriceStore,
  type QuarantineCounts,
  type RealisedAccuracyStore,
  type RecipeStore,
  type Registry,
  type RetrainDecisionStore,
  type RetrainPolicyStore,
  type Tracker,
} from '../core/index.js';
import { FileArtifactStore, parseS3Location, S3ArtifactStore } from './artifacts/index.js';
import { InProcessInvalidationBus, RedisInvalidationBus } from './cache/index.js';
import { ClickHouseSeriesStore } from './clickhouse/index.js';
import { ParquetDatasetStore } from './datasets/index.js';
import { InProcessBus, KafkaBus, type BusLogger } from './events/index.js';
import { MlflowClient, MlflowRegistry, MlflowTracker } from './mlflow/index.js';
import { backfillOlap, OlapBackedPriceStore } from './olap-backed-price-store.js';
import { DbLock } from './sql/db-lock.js';
import { replayChart, YahooPriceSource } from './yahoo/index.js';
import {
  migrate,
  MIGRATIONS,
  openPglite,
  openPostgres,
  SqlAlertStore,
  SqlAliasLog,
  SqlApprovalStore,
  SqlEtlRunLog,
  SqlFlowStore,
  SqlModelLocks,
  SqlMonitoringReportStore,
  SqlRetrainDecisionStore,
  SqlRetrainPolicyStore,
  SqlForecastLog,
  ThreadLeaseKeeper,
  SqlPriceStore,
  SqlQuarantineCounts,
  SqlRealisedAccuracyStore,
  SqlRecipeStore,
  SqlRegistry,
  SqlTracker,
  type SqlClient,
} from './sql/index.js';

export { bundledSample, SAMPLE_SYMBOL, samplePath } from './sample/index.js';
export { DbLock, readLock, type LockInfo } from './sql/db-lock.js';
export { silentLogger, type BusLogger } from './events/index.js';
export type { SqlClient } from './sql/index.js';

export interface Stores {
  db: SqlClient;
  prices: PriceStore;
  tracker: Tracker;
  registry: Registry;
  aliasLog: AliasLog;
  artifacts: ArtifactStore;
  /** Which tracking/registry backend is in use, and where its own UI lives. */
  tracking: TrackingInfo;
  /** Flow runs, task runs, run logs and schedules. */
  flows: FlowStore;
  /** Where the ETL fetches daily bars (Yahoo Finance, or recorded responses). */
  source: PriceSource;
  /** Parquet snapshots of cleaned series, named by content digest. */
  datasets: DatasetStore;
  /** ETL runs with their step counts and quality checks. */
  etlRuns: EtlRunLog;
  /** Monitoring reports, one per monitor run and model. */
  monitoringReports: MonitoringReportStore;
  /** Every decision of the retrain policy. */
  retrainDecisions: RetrainDecisionStore;
  /** The retrain policy stored by the API, over the environment's. */
  retrainPolicyStore: RetrainPolicyStore;
  /** One evaluation and promotion per model at a time, across processes. */
  modelLocks: ModelLocks;
  /** Alerts raised by the alert rules. */
  alerts: AlertStore;
  /** Retrains' promotions held for a person. */
  approvals: ApprovalStore;
  /** Rows quarantined per ticker since a time. */
  quarantineCounts: QuarantineCounts;
  /** Realised accuracy of served forecasts, a point per model version and window end. */
  realised: RealisedAccuracyStore;
  /** Model recipes, every version kept. */
  recipes: RecipeStore;
  /** Every forecast served, one row each with its serve count. */
  forecastLog: ForecastLog;
  /** Engine serving the cleaned series: the SQL engine, or "clickhouse" when CLICKHOUSE_URL is set. */
  seriesEngine: string;
  /** Publishes the server URL in the embedded database's lock, so CLI commands route through it. */
  advertise(url: string): void;
  close(): Promise<void>;
}

export interface TrackingInfo {
  backend: 'built-in' | 'mlflow';
  /** MLflow UI base URL when MLflow is the backend. */
  mlflowUrl: string | null;
  /** Prefix of experiment and registered model names on a shared MLflow server. */
  namePrefix: string;
}

export interface MlflowOptions {
  trackingUri: string;
  username?: string;
  password?: string;
  /** @defaultValue '' */
  namePrefix?: string;
}

export interface S3Options {
  /** S3-compatible endpoint (MinIO); unset means AWS. */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface OpenStoresOptions {
  databaseUrl: string;
  artifactsUrl: string;
  /** Runs and models on a real MLflow server instead of the built-in SQL tracker and registry. */
  mlflow?: MlflowOptions | null;
  /** Settings for `s3://` artifact URLs. */
  s3?: S3Options;
  /** Who opens an embedded database, for its single-process lock. @defaultValue 'cli' */
  role?: 'server' | 'cli';
  /** ClickHouse for the cleaned series (`http://host:8123[/database]`); null keeps it in SQL only. */
  clickhouseUrl?: string | null;
  /** `yahoo://` (live Yahoo Finance) or `file://DIR` (recorded chart() responses). @defaultValue 'yahoo://' */
  priceSourceUrl?: string;
}

type DbOpener = (
  rest: string,
  role: 'server' | 'cli',
) => Promise<{ db: SqlClient; lock: DbLock | null }>;

const DATABASE_SCHEMES: Readonly<Record<string, DbOpener>> = {
  pglite: async (rest, role) => {
    if (rest === 'memory' || rest === '') {
      return { db: await openPglite('memory://'), lock: null };
    }
    const dir = resolve(rest);
    mkdirSync(dirname(dir), { recursive: true });
    const lock = DbLock.acquire(`${dir}.lock`, role);
    try {
      return { db: await openPglite(dir), lock };
    } catch (e) {
      lock.release();
      throw e;
    }
  },
  // A server: no lock, any number of processes share it.
  postgres: async (rest) => ({ db: await openPostgres(`postgres://${rest}`), lock: null }),
  postgresql: async (rest) => ({ db: await openPostgres(`postgres://${rest}`), lock: null }),
};

const PRICE_SOURCE_SCHEMES: Readonly<Record<string, (rest: string) => PriceSource>> = {
  // yahoo:// is Yahoo Finance itself; yahoo://host:port sends its requests to a mirror there (tests: a closed port).
  yahoo: (rest) =>
    new YahooPriceSource(rest === '' ? {} : { origin: `http://${rest.replace(/\/+$/, '')}` }),
  file: (rest) => new YahooPriceSource({ chart: replayChart(rest) }),
};

const ARTIFACT_SCHEMES: Readonly<
  Record<string, (rest: string, options: OpenStoresOptions) => ArtifactStore>
> = {
  file: (rest) => new FileArtifactStore(rest),
  s3: (rest, options) => new S3ArtifactStore({ ...parseS3Location(rest), ...(options.s3 ?? {}) }),
};

/** Splits `scheme://rest`; unknown schemes fail with the list of known ones. */
function pick<T>(kind: string, url: string, table: Readonly<Record<string, T>>): [T, string] {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url);
  const scheme = m?.[1]?.toLowerCase() ?? '';
  const entry = table[scheme];
  if (!m || entry === undefined) {
    throw new ConfigError(
      `${kind} "${url}" has ${m ? `unknown scheme "${scheme}"` : 'no scheme'}; known schemes: ${Object.keys(
        table,
      )
        .map((s) => `${s}://`)
        .join(', ')}`,
    );
  }
  return [entry, m[2] ?? ''];
}

/** Checks both URLs without opening anything, so a typo stops start-up before any work. */
export function checkStoreUrls(options: OpenStoresOptions): void {
  pick('DATABASE_URL', options.databaseUrl, DATABASE_SCHEMES);
  pick('ARTIFACTS_URL', options.artifactsUrl, ARTIFACT_SCHEMES);
  pick('PRICE_SOURCE_URL', options.priceSourceUrl ?? 'yahoo://', PRICE_SOURCE_SCHEMES);
}

export function isEmbeddedDatabase(databaseUrl: string): boolean {
  return /^pglite:\/\//i.test(databaseUrl) && !/^pglite:\/\/(memory)?$/i.test(databaseUrl);
}

export async function openStores(options: OpenStoresOptions): Promise<Stores> {
  const [openDb, dbRest] = pick('DATABASE_URL', options.databaseUrl, DATABASE_SCHEMES);
  const [openArtifacts, artRest] = pick('ARTIFACTS_URL', options.artifactsUrl, ARTIFACT_SCHEMES);
  const artifacts = openArtifacts(artRest, options);
  const mlflow = options.mlflow ? new MlflowClient(options.mlflow) : null;
  const mlflowNames = { namePrefix: options.mlflow?.namePrefix ?? '' };
  const [openSource, sourceRest] = pick(
    'PRICE_SOURCE_URL',
    options.priceSourceUrl ?? 'yahoo://',
    PRICE_SOURCE_SCHEMES,
  );
  const { db, lock } = await openDb(dbRest, options.role ?? 'cli');
  let olap: ClickHouseSeriesStore | null = null;
  try {
    await migrate(db);
    olap = options.clickhouseUrl ? await ClickHouseSeriesStore.open(options.clickhouseUrl) : null;
    if (olap) {
      await backfillOlap(new SqlPriceStore(db), olap);
    }
  } catch (e) {
    await olap?.close();
    await db.close();
    lock?.release();
    throw e;
  }
  const sqlPrices = new SqlPriceStore(db);
  return {
    db,
    prices: olap ? new OlapBackedPriceStore(sqlPrices, olap) : sqlPrices,
    tracker: mlflow ? new MlflowTracker(mlflow, mlflowNames) : new SqlTracker(db, artifacts),
    registry: mlflow ? new MlflowRegistry(mlflow, mlflowNames) : new SqlRegistry(db),
    // MLflow has no alias history, so the audit log stays in the SQL store with either backend.
    aliasLog: new SqlAliasLog(db),
    tracking: {
      backend: mlflow ? 'mlflow' : 'built-in',
      mlflowUrl: mlflow?.baseUrl ?? null,
      namePrefix: mlflowNames.namePrefix,
    },
    artifacts,
    flows: new SqlFlowStore(db),
    source: openSource(sourceRest),
    datasets: new ParquetDatasetStore(artifacts),
    etlRuns: new SqlEtlRunLog(db),
    monitoringReports: new SqlMonitoringReportStore(db),
    retrainDecisions: new SqlRetrainDecisionStore(db),
    retrainPolicyStore: new SqlRetrainPolicyStore(db),
    modelLocks: new SqlModelLocks(db),
    alerts: new SqlAlertStore(db),
    quarantineCounts: new SqlQuarantineCounts(db),
    approvals: new SqlApprovalStore(db),
    realised: new SqlRealisedAccuracyStore(db),
    recipes: new SqlRecipeStore(db),
    forecastLog: new SqlForecastLog(db),
    seriesEngine: olap?.engine ?? db.engine,
    advertise: (url) => lock?.advertise(url),
    close: async () => {
      await olap?.close();
      await db.close();
      lock?.release();
    },
  };
}

export interface EventBusOptions {
  /** KAFKA_BROKERS: the Kafka adapter on these brokers; null or empty keeps events in this process. */
  kafkaBrokers: readonly string[] | null;
  /** @defaultValue 'stockops' */
  topicPrefix?: string;
  instanceId: string;
  /** @defaultValue 10000 */
  maxBuffered?: number;
  onDropped?: (count: number, reason: DropReason) => void;
  log?: BusLogger;
}

/**
 * The event bus: Kafka when brokers are configured, else in-process. A broker that does not answer does not
 * stop start-up (events are dropped and counted until it does), so serving never depends on it.
 */
export async function openEventBus(options: EventBusOptions): Promise<EventBus> {
  const common = {
    instanceId: options.instanceId,
    ...(options.maxBuffered !== undefined ? { maxBuffered: options.maxBuffered } : {}),
    ...(options.onDropped ? { onDropped: options.onDropped } : {}),
    ...(options.log ? { log: options.log } : {}),
  };
  if (options.kafkaBrokers === null || options.kafkaBrokers.length === 0) {
    return new InProcessBus(common);
  }
  return KafkaBus.open({
    ...common,
    brokers: options.kafkaBrokers,
    ...(options.topicPrefix !== undefined ? { topicPrefix: options.topicPrefix } : {}),
  });
}

/**
 * How serving caches hear about alias moves and new bars: Redis pub/sub when REDIS_URL is set (every replica and
 * worker on it), else within this process only.
 */
export async function openInvalidationBus(
  redisUrl: string | null,
  prefix: string,
): Promise<InvalidationBus> {
  return redisUrl === null
    ? new InProcessInvalidationBus()
    : RedisInvalidationBus.open({ url: redisUrl, prefix });
}

/**
 * Lease renewal off the main thread for a server database; null for PGlite (one process, whose own
 * heartbeat suffices).
 */
export function openLeaseKeeper(
  databaseUrl: string,
  workerId: string,
  everyMs: number,
): LeaseKeeper | null {
  return /^postgres(ql)?:\/\//i.test(databaseUrl)
    ? new ThreadLeaseKeeper(databaseUrl, workerId, everyMs)
    : null;
}

/** The lock file path of an embedded database URL, or null for servers and memory. */
export function lockPathOf(databaseUrl: string): string | null {
  if (!isEmbeddedDatabase(databaseUrl)) {
    return null;
  }
  return `${resolve(databaseUrl.replace(/^pglite:\/\//i, ''))}.lock`;
}

/**
 * Applies the SQL migrations and closes: the deploy step run once before API replicas and workers start
 * (`stockops migrate`). Safe beside processes starting at the same time: migrations run under a lock.
 */
export async function migrateDatabase(
  databaseUrl: string,
): Promise<{ engine: string; applied: number[]; current: number[] }> {
  const [openDb, rest] = pick('DATABASE_URL', databaseUrl, DATABASE_SCHEMES);
  const { db, lock } = await openDb(rest, 'cli');
  try {
    const applied = await migrate(db);
    return { engine: db.engine, applied, current: MIGRATIONS.map((m) => m.id) };
  } finally {
    await db.close();
    lock?.release();
  }
}
