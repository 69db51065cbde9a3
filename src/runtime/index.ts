// Composition root: opens the stores chosen by configuration and wires services, flows and metrics.
import {
  ConfigError,
  type EventBus,
  type FlowRunState,
  type InvalidationBus,
  type ManagedJobQueue,
  type ServedSink,
} from '../core/index.js';
import type { Config } from '../config/index.js';
import { openFlows, type FlowEngine, type Flows } from '../flows/index.js';
import {
  createMetrics,
  registerFlowGauges,
  registerMonitoringMetrics,
  registerServingGauges,
  type AppMetrics,
} from '../metrics/index.js';
import {
  announcingPrices,
  announcingRegistry,
  createFitter,
  createFlows,
  fanOutServed,
  ForecastRecorder,
  monitoringSnapshot,
  monitorAfterEtlLoads,
  servedOnBus,
  ServingCache,
  type EtlDeps,
  type PredictStage,
  type ServiceDeps,
} from '../services/index.js';
import {
  bundledSample,
  checkStoreUrls,
  openEventBus,
  openInvalidationBus,
  openLeaseKeeper,
  openStores,
  type Stores,
} from '../stores/index.js';
import { createLogger, type Logger } from './logger.js';
import { startMetricsPublisher, type MetricsPublisher } from './metrics-publisher.js';

export { createLogger, type Logger } from './logger.js';
export type { MetricsPublisher } from './metrics-publisher.js';

/** Where the runtime reports what goes wrong in the background (the server's logger once it exists). */
export type RuntimeWarn = (message: string, details: Record<string, unknown>) => void;

const stderrWarn: RuntimeWarn = (message, details) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'warn', time: Date.now(), msg: message, ...details })}\n`,
  );
};

export interface Runtime {
  config: Config;
  stores: Stores;
  services: ServiceDeps;
  /** The service deps with the ETL's source, run log and snapshot store. */
  etl: EtlDeps;
  queue: ManagedJobQueue;
  /** Flow runs: start, watch, cancel; schedules. */
  flows: FlowEngine;
  flowRunners: Flows;
  metrics: AppMetrics;
  /** Champions loaded for serving, per version, and the forecasts computed from them. */
  serving: ServingCache;
  /** Events to and from the other processes (Kafka with KAFKA_BROKERS, else in this process). */
  events: EventBus;
  /** This process's metrics.sample every few seconds (server and worker roles; null for the CLI). */
  publisher: MetricsPublisher | null;
  logger: Logger;
  /** How this process hears (and tells the others) that cached forecasts went stale. */
  invalidations: InvalidationBus;
  /** The forecast log's buffered writer; drained by close(). */
  recorder: ForecastRecorder;
  close(): Promise<void>;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * BullMQ workers run in other processes (and machines), so they need a database those share; the
 * embedded PGlite is one process's. Said before anything opens.
 */
function checkRunner(config: Config, role: 'server' | 'cli' | 'worker'): void {
  if (role === 'worker' && config.redisUrl === null) {
    throw new ConfigError(
      'stockops worker takes jobs from BullMQ: set REDIS_URL=redis://host:port (e.g. from scripts/services/redis.sh), the same for the API and every worker',
    );
  }
  if (config.redisUrl !== null && /^pglite:\/\//i.test(config.databaseUrl)) {
    throw new ConfigError(
      `REDIS_URL is set, so flows run on BullMQ workers in other processes, but DATABASE_URL is the embedded ${config.databaseUrl}, which only one process can open. ` +
        'Set DATABASE_URL=postgres://user:password@host:5432/db (the same for the API and every stockops worker; scripts/services/postgres.sh starts one) ' +
        'and ARTIFACTS_URL to a store they share, or unset REDIS_URL to run flows in-process.',
    );
  }
}

export async function openRuntime(
  config: Config,
  role: 'server' | 'cli' | 'worker',
  options: { concurrency?: number; warn?: RuntimeWarn } = {},
): Promise<Runtime> {
  const warn = options.warn ?? stderrWarn;
  checkStoreUrls(config);
  checkRunner(config, role);
  const logger = createLogger(config.logLevel, role, config.instanceId);
  const metrics = createMetrics();
  const events = await openEventBus({
    kafkaBrokers: config.events.kafkaBrokers,
    topicPrefix: config.events.topicPrefix,
    instanceId: config.instanceId,
    maxBuffered: config.events.maxBuffered,
    onDropped: (count, reason) => {
      metrics.live.eventsDropped.inc({ reason }, count);
    },
    log: logger,
  });
  metrics.live.watch({ eventsBuffered: () => events.stats().buffered });
  const stores = await openStores({
    databaseUrl: config.databaseUrl,
    artifactsUrl: config.artifactsUrl,
    mlflow: config.mlflow,
    s3: config.s3,
    role: role === 'server' ? 'server' : 'cli',
    clickhouseUrl: config.clickhouseUrl,
    priceSourceUrl: config.priceSourceUrl,
  }).catch(async (e: unknown) => {
    await events.close();
    throw e;
  });
  let invalidations: InvalidationBus;
  try {
    invalidations = await openInvalidationBus(config.redisUrl, config.queuePrefix);
  } catch (e) {
    await stores.close();
    throw e;
  }
  const serving = new ServingCache({
    enabled: config.serving.cache,
    recheckMs: config.serving.recheckMs,
    listening: () => invalidations.listening(),
  });
  invalidations.subscribe((i) => {
    serving.invalidate(i);
  });
  // A failed publish leaves the other replicas to their one-second re-check; this one already dropped its copy.
  const announce = (i: Parameters<InvalidationBus['publish']>[0]) => {
    invalidations.publish(i).catch((e: unknown) => {
      warn('could not publish a serving-cache invalidation', {
        invalidation: i,
        error: errorText(e),
      });
    });
  };
  const recorder = new ForecastRecorder(stores.forecastLog, {
    flushMs: config.serving.forecastLogFlushMs,
    capacity: config.serving.forecastLogBuffer,
    onDropped: (n) => {
      metrics.forecastLogDropped.inc(n);
    },
    onWritten: (rows) => {
      metrics.forecastLogWritten.inc(rows);
    },
    onStoreProblem: (event, d) => {
      warn(
        event === 'failing'
          ? 'forecast log store unavailable: serving goes on, serves are buffered (dropped past the bound and counted in stockops_forecast_log_dropped_total)'
          : 'forecast log store answers again: buffered serves written',
        {
          buffered: d.buffered,
          dropped: d.dropped,
          ...(d.error !== undefined ? { error: errorText(d.error) } : {}),
        },
      );
    },
  });
  // Every served forecast goes through here once: the forecast log and the served counter (the event bus joins them).
  const sinks: ServedSink[] = [
    recorder,
    {
      served: (f) => {
        metrics.predictions.inc({ ticker: f.ticker, horizon: String(f.horizon) });
        metrics.traffic.countPrediction();
      },
    },
    servedOnBus(events, config.instanceId),
  ];
  // Label children looked up once: the hot path then observes without hashing labels.
  const stage = (s: PredictStage) => metrics.predictStage.labels(s);
  const stages: Record<PredictStage, { observe(v: number): void }> = {
    cache: stage('cache'),
    store: stage('store'),
    features: stage('features'),
    model: stage('model'),
    serialize: stage('serialize'),
  };
  // Fits run on worker threads (started on first use), so training never blocks this event loop.
  const fitter = createFitter(config.fitThreads);
  const services: ServiceDeps = {
    fitter,
    prices: announcingPrices(stores.prices, announce),
    tracker: stores.tracker,
    registry: announcingRegistry(stores.registry, announce),
    served: fanOutServed(sinks),
    forecastLog: stores.forecastLog,
    onStage: (stage, seconds) => {
      stages[stage].observe(seconds);
    },
    aliasLog: stores.aliasLog,
    promotion: config.promotion,
    monitoring: config.monitoring,
    retrainPolicy: config.retrainPolicy,
    alertSettings: config.alerts,
    modelLocks: stores.modelLocks,
    monitorStores: {
      reports: stores.monitoringReports,
      decisions: stores.retrainDecisions,
      policy: stores.retrainPolicyStore,
      alerts: stores.alerts,
      runs: stores.flows,
      quarantine: stores.quarantineCounts,
      approvals: stores.approvals,
      realised: stores.realised,
    },
    datasets: stores.datasets,
    source: stores.source,
    etlRuns: stores.etlRuns,
    recipes: stores.recipes,
    events,
    instanceId: config.instanceId,
  };
  const etl: EtlDeps = {
    ...services,
    source: stores.source,
    etlRuns: stores.etlRuns,
    datasets: stores.datasets,
  };
  let runners: Flows;
  try {
    runners = await openFlows({
      flows: createFlows(etl, bundledSample),
      store: stores.flows,
      redisUrl: config.redisUrl,
      role,
      prefix: config.queuePrefix,
      leaseMs: config.flowLeaseMs,
      schedules: config.schedules,
      // The in-process runner executes as many flow runs at once as there are fit threads (retrain-all's children).
      inProcessConcurrency: Math.max(1, config.fitThreads),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      leaseKeeper: (workerId, everyMs) => openLeaseKeeper(config.databaseUrl, workerId, everyMs),
      events,
      onRunEnded: (run) => {
        const seconds = ((run.endedAt ?? Date.now()) - (run.startedAt ?? run.createdAt)) / 1000;
        metrics.flowRunDuration.observe({ flow: run.flow, state: run.state }, seconds);
        if (run.flow === 'train') {
          const labels = {
            model: typeof run.parameters.model === 'string' ? run.parameters.model : '',
            status: run.state === 'Completed' ? 'completed' : 'failed',
          };
          metrics.trainingRuns.inc(labels);
          metrics.trainingDuration.observe(labels, seconds);
        }
      },
    });
  } catch (e) {
    await fitter.close();
    await recorder.close(0);
    await invalidations.close();
    await stores.close();
    await events.close();
    throw e;
  }
  registerFlowGauges(metrics, {
    countByState: () => stores.flows.countByState(),
    depth: () => runners.queue.depth(),
    workers: () => runners.queue.workers(),
  });
  // Store-backed monitoring numbers: every API replica reports them; workers report their own process only.
  if (role === 'server') {
    registerMonitoringMetrics(metrics.registry, () => monitoringSnapshot(services));
  }
  // API replicas and workers share one consumer group, so each ETL load starts one monitor run (and the
  // idempotency key makes a redelivery start none).
  const onLoad =
    role !== 'cli' && config.monitorOnLoad
      ? monitorAfterEtlLoads(events, (flow, parameters, o) =>
          runners.engine.start(flow, parameters, o),
        )
      : null;
  const publisher =
    role === 'cli'
      ? null
      : startMetricsPublisher({
          events,
          traffic: metrics.traffic,
          instanceId: config.instanceId,
          role,
          everyMs: config.events.metricsSampleMs,
          queueDepth: () => runners.queue.depth(),
          flowRuns: async () => {
            const byState = new Map<FlowRunState, number>();
            for (const r of await stores.flows.countByState()) {
              byState.set(r.state, (byState.get(r.state) ?? 0) + r.count);
            }
            return [...byState].map(([state, count]) => ({ state, count }));
          },
          wsConnections: () => metrics.live.wsConnectionCount(),
        });
  registerServingGauges(metrics, {
    forecastLogBuffered: () => recorder.buffered(),
    cacheLookups: () => serving.lookups(),
  });
  return {
    config,
    stores,
    services,
    etl,
    queue: runners.queue,
    flows: runners.engine,
    flowRunners: runners,
    metrics,
    serving,
    invalidations,
    recorder,
    events,
    publisher,
    logger,
    close: async () => {
      publisher?.stop();
      await onLoad?.close();
      await runners.close();
      await fitter.close();
      // Serves still buffered are written before the store closes.
      await recorder.close();
      await invalidations.close();
      await stores.close();
      // Last: flow runs ending above still announce their state.
      await events.close();
    },
  };
}
