// Starts the embedded-default process: stores, job runner, API + UI on one port, first-start bootstrap.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import { openRuntime, type Runtime } from '../runtime/index.js';
import { warmServing } from '../services/index.js';
import { buildServer } from './app.js';
import type { Readiness } from './routes/index.js';

export interface StartedServer {
  app: FastifyInstance;
  runtime: Runtime;
  url: string;
  /** Resolves when the first-start bootstrap has finished (or failed). */
  bootstrapped: Promise<void>;
  /** Resolves when the replica is ready (champions loaded, prediction path warm): /api/ready then answers 200. */
  ready: Promise<void>;
  /**
   * Drains: /api/ready turns 503 and for STOCKOPS_DRAIN_GRACE_MS every response closes its connection, then the listener closes (nginx moves new connections to the other replicas), requests
   * in flight are answered, Fastify's onClose hooks run (WebSockets close there), then the runtime closes: flows,
   * the forecast log's buffer (flushed), the invalidation bus, the stores (an event producer closes there too).
   */
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
  let log: FastifyInstance['log'] | null = null;
  const runtime = await openRuntime(config, 'server', {
    ...(config.logLevel === 'silent'
      ? { warn: () => undefined }
      : {
          warn: (message, details) => {
            if (log) {
              log.warn(details, message);
            } else {
              process.stderr.write(`${JSON.stringify({ level: 40, msg: message, ...details })}\n`);
            }
          },
        }),
  });
  let readiness: Readiness = { state: 'starting', champions: 0, reason: 'opening the stores' };
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
      webRoot: options.webRoot === undefined ? defaultWebRoot() : options.webRoot,
      status: () => ({
        bootstrap: bootstrapState,
        database: runtime.stores.db.engine,
        tracking: runtime.stores.tracking,
        instance: config.instanceId,
        bus: runtime.events.kind,
        grafanaUrl: config.grafanaUrl,
      }),
      loggerInstance: runtime.logger,
      events: runtime.events,
      live: {
        instanceId: config.instanceId,
        maxConnections: config.events.wsMaxConnections,
        maxBufferedBytes: config.events.wsMaxBufferedBytes,
        pingMs: config.events.wsPingMs,
      },
      readiness: () => readiness,
      protection: {
        instance: config.instanceId,
        rateLimit: config.serving.rateLimit,
        redisUrl: config.redisUrl,
        maxEventLoopDelayMs: config.serving.maxEventLoopDelayMs,
        requestTimeoutMs: config.serving.requestTimeoutMs,
        trustProxy: config.serving.trustProxy,
      },
    });
    log = app.log;
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
  readiness = {
    state: 'starting',
    champions: 0,
    reason: config.bootstrap
      ? 'the first-start bootstrap is training the first model'
      : 'warming up',
  };
  const ready = bootstrapped
    .then(async () => {
      if (readiness.state === 'draining') {
        return;
      }
      readiness = { ...readiness, reason: 'loading the champions and warming the prediction path' };
      const warm = await warmServing(runtime.services, runtime.serving);
      for (const f of warm.failed) {
        app.log.warn(
          { model: f.model, error: f.error },
          'champion not warmed; it answers with its error',
        );
      }
      if (readiness.state !== 'draining') {
        readiness = { state: 'ready', champions: warm.champions };
        app.log.info({ champions: warm.champions }, 'ready');
      }
    })
    .catch((e: unknown) => {
      // The store could not be read: stay unready (nginx and orchestrators keep traffic away) and say why.
      readiness = {
        state: 'starting',
        champions: 0,
        reason: `warm-up failed: ${e instanceof Error ? e.message : String(e)}`,
      };
      app.log.error({ err: e }, 'warm-up failed');
    });
  let stopping: Promise<void> | null = null;
  return {
    app,
    runtime,
    url,
    bootstrapped,
    ready,
    stop: () => {
      stopping ??= (async () => {
        readiness = { ...readiness, state: 'draining' };
        // Still answering, but every response closes its connection: nginx stops reusing them before the
        // listener closes, so no request is sent on a connection the close would reset.
        if (config.serving.drainGraceMs > 0) {
          await new Promise((done) => setTimeout(done, config.serving.drainGraceMs));
        }
        await app.close();
        await runtime.close();
      })();
      return stopping;
    },
  };
}
