// Builds the real app on an in-memory embedded database with the bundled sample loaded, for app.inject() tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/index.js';
import type { Horizon } from '../../src/core/index.js';
import { bootstrap } from '../../src/services/index.js';
import { openRuntime, type Runtime } from '../../src/runtime/index.js';
import { buildServer, type ServerProtection } from '../../src/server/index.js';
import { bundledSample } from '../../src/stores/index.js';

export interface Harness {
  app: FastifyInstance;
  rt: Runtime;
  close(): Promise<void>;
}

export async function harness(
  options: {
    apiKey?: string;
    bootstrap?: boolean;
    /** Horizons the bootstrap trains (naive and ridge each). @defaultValue [1, 5, 20], as `npm start` */
    horizons?: readonly Horizon[];
    env?: Record<string, string>;
    /** Rate limit, overload answer, deadlines and the instance name (none by default). */
    protection?: ServerProtection;
  } = {},
): Promise<Harness> {
  const home = mkdtempSync(join(tmpdir(), 'stockops-api-'));
  const config = loadConfig({
    STOCKOPS_HOME: home,
    DATABASE_URL: 'pglite://memory',
    // Schedules stay stored and editable but never fire in the middle of a test.
    STOCKOPS_SCHEDULES: 'false',
    ...(options.apiKey ? { STOCKOPS_API_KEY: options.apiKey } : {}),
    ...options.env,
  });
  const rt = await openRuntime(config, 'server');
  if (options.bootstrap !== false) {
    await bootstrap(rt.services, bundledSample, options.horizons);
  }
  const app = await buildServer({
    services: rt.services,
    queue: rt.queue,
    flows: rt.flows,
    metrics: rt.metrics,
    serving: rt.serving,
    apiKey: config.apiKey,
    webRoot: null,
    events: rt.events,
    live: {
      instanceId: config.instanceId,
      maxConnections: config.events.wsMaxConnections,
      maxBufferedBytes: config.events.wsMaxBufferedBytes,
      pingMs: config.events.wsPingMs,
    },
    ...(options.protection ? { protection: options.protection } : {}),
  });
  return {
    app,
    rt,
    close: async () => {
      await app.close();
      await rt.close();
    },
  };
}

export const csv = (rows: string[]): string =>
  ['Date,Open,High,Low,Close,Adj Close,Volume', ...rows].join('\n');
