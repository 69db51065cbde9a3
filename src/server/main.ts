// Starts the embedded-default process: stores, job runner, API + UI on one port, first-start bootstrap.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import { openRuntime, type Runtime } from '../runtime/index.js';
import { buildServer } from './app.js';

export interface StartedServer {
  app: FastifyInstance;
  runtime: Runtime;
  url: string;
  /** Resolves when the first-start bootstrap has finished (or failed). */
  bootstrapped: Promise<void>;
  stop(): Promise<void>;
}

/** The built UI: web/dist beside the package root, whether running from src (tests) or dist. */
export function defaultWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', 'web', 'dist');
}

export async function startServer(
  config: Config,
  options: { webRoot?: string | null } = {},
): Promise<StartedServer> {
  const runtime = await openRuntime(config, 'server');
  let bootstrapState: { state: 'pending' | 'running' | 'done' | 'failed'; error?: string } = {
    state: config.bootstrap ? 'pending' : 'done',
  };
  let app: FastifyInstance;
  try {
    app = await buildServer({
      services: runtime.services,
      queue: runtime.queue,
      flows: runtime.flows,
      metrics: runtime.metrics,
      serving: runtime.serving,
      apiKey: config.apiKey,
      bodyLimit: config.bodyLimit,
      webRoot: options.webRoot === undefined ? defaultWebRoot() : options.webRoot,
      status: () => ({
        bootstrap: bootstrapState,
        database: runtime.stores.db.engine,
        tracking: runtime.stores.tracking,
      }),
      logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await runtime.close();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  runtime.stores.advertise(url);
  let bootstrapped: Promise<void> = Promise.resolve();
  if (config.bootstrap) {
    bootstrapState = { state: 'running' };
    bootstrapped = runtime.queue
      .enqueue('bootstrap', {})
      .then((id) => runtime.queue.wait(id, 30 * 60_000))
      .then((job) => {
        bootstrapState =
          job.status === 'completed'
            ? { state: 'done' }
            : { state: 'failed', error: job.error?.message ?? 'unknown' };
        if (job.status === 'completed') {
          app.log.info({ result: job.result }, 'bootstrap finished');
        } else {
          app.log.error({ error: job.error }, 'bootstrap failed');
        }
      })
      .catch((e: unknown) => {
        bootstrapState = { state: 'failed', error: e instanceof Error ? e.message : String(e) };
      });
  }
  let stopping: Promise<void> | null = null;
  return {
    app,
    runtime,
    url,
    bootstrapped,
    stop: () => {
      stopping ??= (async () => {
        await app.close();
        await runtime.close();
      })();
      return stopping;
    },
  };
}
