// Composition root: opens the stores chosen by configuration and wires pipelines, jobs and metrics.
import type { JobHandler } from '../core/index.js';
import type { Config } from '../config/index.js';
import { checkHandlers, InProcessQueue } from '../jobs/index.js';
import { createMetrics, type AppMetrics } from '../metrics/index.js';
import {
  bootstrap,
  ModelCache,
  trainModel,
  type BootstrapResult,
  type PipelineDeps,
  type TrainInput,
} from '../pipelines/index.js';
import { bundledSample, checkStoreUrls, openStores, type Stores } from '../stores/index.js';

export interface Runtime {
  config: Config;
  stores: Stores;
  pipeline: PipelineDeps;
  queue: InProcessQueue;
  metrics: AppMetrics;
  modelCache: ModelCache;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, role: 'server' | 'cli'): Promise<Runtime> {
  checkStoreUrls(config);
  const stores = await openStores({
    databaseUrl: config.databaseUrl,
    artifactsUrl: config.artifactsUrl,
    role,
  });
  const pipeline: PipelineDeps = {
    prices: stores.prices,
    tracker: stores.tracker,
    registry: stores.registry,
    aliasLog: stores.aliasLog,
  };
  const metrics = createMetrics();
  const handlers = new Map<string, JobHandler>([
    [
      'train',
      async (data) => {
        const input = data as TrainInput;
        try {
          const { report: _report, ...result } = await trainModel(pipeline, input);
          metrics.trainingRuns.inc({ model: input.model, status: 'completed' });
          return result;
        } catch (e) {
          metrics.trainingRuns.inc({ model: input.model, status: 'failed' });
          throw e;
        }
      },
    ],
    ['bootstrap', async (): Promise<BootstrapResult> => bootstrap(pipeline, bundledSample)],
  ]);
  checkHandlers(handlers);
  const queue = new InProcessQueue(handlers);
  return {
    config,
    stores,
    pipeline,
    queue,
    metrics,
    modelCache: new ModelCache(),
    close: async () => {
      await queue.close();
      await stores.close();
    },
  };
}
