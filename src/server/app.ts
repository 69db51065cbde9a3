// buildServer(deps): the Fastify app with API, OpenAPI docs, metrics and the static UI. main.ts listens.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import {
  InvalidInputError,
  isValidIsoDate,
  normalizeSymbol,
  UnauthorizedError,
  UnknownTickerError,
  JobNotFoundError,
  type FlowRunRecord,
  type FlowService,
  type JobInfo,
  type JobQueue,
} from '../core/index.js';
import type { AppMetrics } from '../metrics/index.js';
import {
  importCsv,
  predict,
  setChampion,
  type ModelCache,
  type ServiceDeps,
} from '../services/index.js';
import { STOCKOPS_VERSION } from '../version.js';
import { errorHandler } from './errors.js';
import { registerEtlRoutes } from './etl-routes.js';
import { registerFlowRoutes } from './flow-routes.js';
import { registerForecastRoutes } from './forecast-routes.js';
import {
  AliasMoveSchema,
  BarSchema,
  ErrorSchema,
  Horizon,
  ImportResultSchema,
  IsoDate,
  JobSchema,
  ModelKindSchema,
  PredictionSchema,
  RegisteredModelSchema,
  RunSchema,
  Ticker,
  TickerSummarySchema,
} from './schemas.js';

export interface ServerDeps {
  services: ServiceDeps;
  queue: JobQueue;
  /** Flow runs and schedules (the /api/flows routes); without it, jobs are still flow runs on `queue`. */
  flows?: FlowService;
  metrics: AppMetrics;
  modelCache: ModelCache;
  /** When set, mutating routes need this value in header x-api-key. */
  apiKey: string | null;
  /** Folder holding the built UI (index.html); null or missing serves a hint instead. */
  webRoot: string | null;
  /** Extra fields for /api/health (e.g. bootstrap progress). */
  status?: () => Record<string, unknown>;
  logger?: FastifyServerOptions['logger'];
}

const errors = { 400: ErrorSchema, 404: ErrorSchema };
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function checkApiKey(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') {
    return false;
  }
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Request lines would drown the log; metrics count requests and errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024 * 1024,
    // Malformed URLs and similar router errors get the same JSON error shape as everything else.
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply)
        .status(400)
        .send({ error: { code: err.code, message: err.message } });
    },
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(errorHandler);

  // CSV uploads arrive as raw bytes: decoding and validation belong to the import service.
  app.addContentTypeParser(
    ['text/csv', 'application/octet-stream', 'text/plain'],
    { parseAs: 'buffer' },
    (_req, body, done) => {
      done(null, body);
    },
  );

  app.addHook('onRequest', (req, _reply, done) => {
    if (
      deps.apiKey !== null &&
      MUTATING.has(req.method) &&
      !checkApiKey(deps.apiKey, req.headers['x-api-key'])
    ) {
      done(new UnauthorizedError());
      return;
    }
    done();
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const labels = { method: req.method, route, status: String(reply.statusCode) };
    deps.metrics.httpRequests.inc(labels);
    deps.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'stockops API',
        version: STOCKOPS_VERSION,
        description:
          'Stock price prediction with an honest MLOps lifecycle. Targets are log returns; every metric stands next to the naive "tomorrow = today" forecast.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    void reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        response: {
          200: Type.Object(
            { status: Type.Literal('ok'), version: Type.String() },
            { additionalProperties: true },
          ),
        },
      },
    },
    () => ({ status: 'ok' as const, version: STOCKOPS_VERSION, ...(deps.status?.() ?? {}) }),
  );

  app.get(
    '/api/tickers',
    { schema: { tags: ['data'], response: { 200: Type.Array(TickerSummarySchema) } } },
    () => deps.services.prices.listTickers(),
  );

  app.get(
    '/api/tickers/:symbol/history',
    {
      schema: {
        tags: ['data'],
        params: Type.Object({ symbol: Ticker }),
        querystring: Type.Object(
          { from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ symbol: Type.String(), bars: Type.Array(BarSchema) }),
          ...errors,
        },
      },
    },
    async (req) => {
      const symbol = normalizeSymbol(req.params.symbol, 'symbol');
      const { from, to } = req.query;
      for (const [k, v] of [
        ['from', from],
        ['to', to],
      ] as const) {
        if (v !== undefined && !isValidIsoDate(v)) {
          throw new InvalidInputError(k, `"${v}" is not a calendar date`);
        }
      }
      if (from !== undefined && to !== undefined && from > to) {
        throw new InvalidInputError('from', `from ${from} is after to ${to}`);
      }
      if (!(await deps.services.prices.getTicker(symbol))) {
        throw new UnknownTickerError(symbol);
      }
      const bars = await deps.services.prices.getBars(symbol, {
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      });
      return { symbol, bars };
    },
  );

  app.get(
    '/api/predict',
    {
      schema: {
        tags: ['predict'],
        querystring: Type.Object(
          { ticker: Ticker, horizon: Type.Optional(Horizon) },
          { additionalProperties: false },
        ),
        response: { 200: PredictionSchema, ...errors },
      },
    },
    async (req) => {
      const horizon = req.query.horizon ?? 1;
      const p = await predict(deps.services, deps.modelCache, {
        ticker: req.query.ticker,
        horizon,
      });
      deps.metrics.predictions.inc({ ticker: p.ticker, horizon: String(horizon) });
      return p;
    },
  );

  app.post(
    '/api/train',
    {
      schema: {
        tags: ['train'],
        security: [{ apiKey: [] }],
        body: Type.Object(
          {
            ticker: Ticker,
            model: Type.Optional(ModelKindSchema),
            horizon: Type.Optional(Horizon),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ jobId: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      const symbol = normalizeSymbol(req.body.ticker);
      if (!(await deps.services.prices.getTicker(symbol))) {
        throw new UnknownTickerError(symbol);
      }
      const params = {
        ticker: symbol,
        model: req.body.model ?? 'ridge',
        horizon: req.body.horizon ?? 1,
        actor: 'api',
      };
      const jobId = deps.flows
        ? await deps.flows.start('train', params)
        : await deps.queue.enqueue('train', params);
      return reply.status(202).send({ jobId });
    },
  );

  app.get(
    '/api/jobs/:id',
    {
      schema: {
        tags: ['train'],
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        response: { 200: JobSchema, ...errors },
      },
    },
    async (req) => {
      // A job id is a flow run id; the flow run in the store is the truth, whichever runner ran it.
      const run = deps.flows ? await deps.flows.get(req.params.id) : null;
      if (run) {
        return jobOf(run);
      }
      const job = await deps.queue.get(req.params.id);
      if (!job) {
        throw new JobNotFoundError(req.params.id);
      }
      const { data: _data, ...rest } = job;
      return rest;
    },
  );

  app.post(
    '/api/import',
    {
      schema: {
        tags: ['data'],
        security: [{ apiKey: [] }],
        description:
          'Body: a Yahoo Finance daily CSV (Date,Open,High,Low,Close,Adj Close,Volume) as text/csv.',
        querystring: Type.Object({ ticker: Ticker }, { additionalProperties: false }),
        response: { 200: ImportResultSchema, ...errors },
      },
    },
    async (req) => {
      const body = req.body;
      const bytes = Buffer.isBuffer(body) ? new Uint8Array(body) : new Uint8Array();
      const result = await importCsv(deps.services, {
        ticker: req.query.ticker,
        bytes,
        source: 'csv:api',
      });
      deps.metrics.imports.inc({ outcome: 'imported' }, result.imported);
      deps.metrics.imports.inc({ outcome: 'duplicate' }, result.duplicates);
      deps.metrics.imports.inc({ outcome: 'quarantined' }, result.quarantined.length);
      return result;
    },
  );

  app.get(
    '/api/quarantine',
    {
      schema: {
        tags: ['data'],
        querystring: Type.Object(
          { ticker: Type.Optional(Ticker) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const symbol = req.query.ticker === undefined ? undefined : normalizeSymbol(req.query.ticker);
      return deps.services.prices.listQuarantine(symbol);
    },
  );

  registerEtlRoutes(app, { queue: deps.queue, flows: deps.flows, etlRuns: deps.services.etlRuns });
  registerForecastRoutes(app, { services: deps.services, modelCache: deps.modelCache });
  if (deps.flows) {
    registerFlowRoutes(app, { flows: deps.flows });
  }

  app.get(
    '/api/runs',
    {
      schema: {
        tags: ['tracking'],
        querystring: Type.Object(
          {
            ticker: Type.Optional(Ticker),
            horizon: Type.Optional(Horizon),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(RunSchema), ...errors },
      },
    },
    async (req) => {
      const tags: Record<string, string> = {};
      if (req.query.ticker !== undefined) {
        tags['stockops.ticker'] = normalizeSymbol(req.query.ticker);
      }
      if (req.query.horizon !== undefined) {
        tags['stockops.horizon'] = String(req.query.horizon);
      }
      return deps.services.tracker.searchRuns({ tags, limit: req.query.limit ?? 100 });
    },
  );

  app.get(
    '/api/runs/:id',
    {
      schema: {
        tags: ['tracking'],
        params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }),
        response: { 200: RunSchema, ...errors },
      },
    },
    (req) => deps.services.tracker.getRun(req.params.id),
  );

  app.get(
    '/api/runs/:id/metrics/:key',
    {
      schema: {
        tags: ['tracking'],
        description:
          'Every logged value of one metric of a run, by step (walk-forward folds are steps).',
        params: Type.Object({
          id: Type.String({ pattern: '^[0-9a-f]{32}$' }),
          key: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$' }),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              key: Type.String(),
              value: Type.Number(),
              step: Type.Integer(),
              timestamp: Type.Integer(),
            }),
          ),
          ...errors,
        },
      },
    },
    (req) => deps.services.tracker.getMetricHistory(req.params.id, req.params.key),
  );

  app.get(
    '/api/models',
    { schema: { tags: ['registry'], response: { 200: Type.Array(RegisteredModelSchema) } } },
    async () => {
      const models = await deps.services.registry.listModels();
      return Promise.all(
        models.map(async (m) => ({
          ...m,
          versions: await deps.services.registry.listVersions(m.name),
        })),
      );
    },
  );

  app.get(
    '/api/models/:name/history',
    {
      schema: {
        tags: ['registry'],
        description: 'Alias moves of a registered model, newest first.',
        params: Type.Object({ name: Type.String({ maxLength: 40 }) }),
      },
    },
    (req) => deps.services.aliasLog.list(req.params.name),
  );

  app.post(
    '/api/models/:name/aliases/champion',
    {
      schema: {
        tags: ['registry'],
        security: [{ apiKey: [] }],
        description:
          'Points `champion` at a version by hand (promotion or rollback); the move is recorded in the alias log with the reason. Serving picks it up on the next request.',
        params: Type.Object({ name: Type.String({ maxLength: 40 }) }),
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            reason: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: AliasMoveSchema, ...errors },
      },
    },
    (req) =>
      setChampion(deps.services, {
        name: req.params.name,
        version: req.body.version,
        reason: req.body.reason,
        actor: 'api',
      }),
  );

  await registerUi(app, deps.webRoot);
  return app;
}

/** A flow run in the job shape `/api/jobs/{id}` has always had. */
function jobOf(run: FlowRunRecord): Omit<JobInfo, 'data'> {
  const status: JobInfo['status'] =
    run.state === 'Completed'
      ? 'completed'
      : run.state === 'Failed' || run.state === 'Cancelled'
        ? 'failed'
        : run.state === 'Queued' || run.state === 'Scheduled'
          ? 'queued'
          : 'running';
  return {
    id: run.id,
    name: run.flow,
    status,
    ...(status === 'completed' ? { result: run.result } : {}),
    ...(status === 'failed'
      ? { error: run.error ?? { code: run.state.toUpperCase(), message: run.state } }
      : {}),
    createdAt: run.createdAt,
    ...(run.startedAt !== null ? { startedAt: run.startedAt } : {}),
    ...(run.endedAt !== null ? { endedAt: run.endedAt } : {}),
  };
}

async function registerUi(app: FastifyInstance, webRoot: string | null): Promise<void> {
  const hasUi = webRoot !== null && existsSync(join(webRoot, 'index.html'));
  if (hasUi) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (req.method !== 'GET' || path.startsWith('/api/') || path === '/api' || !hasUi) {
      if (!hasUi && req.method === 'GET' && path === '/') {
        void reply
          .type('text/html')
          .send(
            '<h1>stockops</h1><p>The web UI is not built. Run <code>npm run build:web</code>. The API is at <a href="/docs">/docs</a>.</p>',
          );
        return;
      }
      void reply
        .status(404)
        .send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${path}` } });
      return;
    }
    // Client-side routes of the single-page UI all load index.html.
    void reply.sendFile('index.html');
  });
}
