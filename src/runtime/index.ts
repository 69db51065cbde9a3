// Composition root: opens the stores chosen by configuration and wires services, flows and metrics.
import { ConfigError, type ManagedJobQueue } from '../core/index.js';
import type { Config } from '../config/index.js';
import { openFlows, type FlowEngine, type Flows } from '../flows/index.js';
import {
  createMetrics,
  registerFlowGauges,
  registerMonitoringMetrics,
  type AppMetrics,
} from '../metrics/index.js';
import {
  createFitter,
  createFlows,
  monitoringSnapshot,
  ServingCache,
  type EtlDeps,
  type ServiceDeps,
} from '../services/index.js';
import {
  bundledSample,
  checkStoreUrls,
  openLeaseKeeper,
  openStores,
  type Stores,
} from '../stores/index.js';

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
  /** Champions loaded for serving, per version. */
  serving: ServingCache;
  close(): Promise<void>;
}

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
  options: { concurrency?: number } = {},
): Promise<Runtime> {
  checkStoreUrls(config);
  checkRunner(config, role);
  const stores = await openStores({
    databaseUrl: config.databaseUrl,
    artifactsUrl: config.artifactsUrl,
    mlflow: config.mlflow,
    s3: config.s3,
    role: role === 'server' ? 'server' : 'cli',
    clickhouseUrl: config.clickhouseUrl,
    priceSourceUrl: config.priceSourceUrl,
  });
  // Fits run on worker threads (started on first use), so training never blocks this event loop.
  const fitter = createFitter(config.fitThreads);
  const services: ServiceDeps = {
    fitter,
    prices: stores.prices,
    tracker: stores.tracker,
    registry: stores.registry,
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
    },
    datasets: stores.datasets,
    source: stores.source,
    etlRuns: stores.etlRuns,
    recipes: stores.recipes,
  };
  const etl: EtlDeps = {
    ...services,
    source: stores.source,
    etlRuns: stores.etlRuns,
    datasets: stores.datasets,
  };
  const metrics = createMetrics();
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
      onRunEnded: (run) => {
        const seconds = ((run.endedAt ?? Date.now()) - (run.startedAt ?? run.createdAt)) / 1000;
        metrics.flowRunDuration.observe({ flow: run.flow, state: run.state }, seconds);
        if (run.flow === 'train') {
          metrics.trainingRuns.inc({
            model: typeof run.parameters.model === 'string' ? run.parameters.model : '',
            status: run.state === 'Completed' ? 'completed' : 'failed',
          });
        }
      },
    });
  } catch (e) {
    await fitter.close();
    await stores.close();
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
  return {
    config,
    stores,
    services,
    etl,
    queue: runners.queue,
    flows: runners.engine,
    flowRunners: runners,
    metrics,
    serving: new ServingCache(),
    close: async () => {
      await runners.close();
      await fitter.close();
      await stores.close();
    },
  };
}
