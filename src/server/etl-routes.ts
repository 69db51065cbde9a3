// ETL routes: start a run as a background job, list runs with their step counts and quality checks.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  EtlRunNotFoundError,
  normalizeSymbol,
  type EtlRunLog,
  type FlowService,
  type JobQueue,
} from '../core/index.js';
import { ErrorSchema, EtlRequestSchema, EtlRunSchema } from './schemas.js';

export interface EtlRouteDeps {
  queue: JobQueue;
  /** When present, the run is an `etl` flow run (tracked, retried, cancellable) rather than a bare job. */
  flows: FlowService | undefined;
  /** Absent when the runtime was built without the ETL's stores: the run list is then empty. */
  etlRuns: EtlRunLog | undefined;
}

const errors = { 400: ErrorSchema, 404: ErrorSchema };

export function registerEtlRoutes(instance: FastifyInstance, deps: EtlRouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/etl',
    {
      schema: {
        tags: ['data'],
        security: [{ apiKey: [] }],
        description:
          'Runs the ETL (extract from Yahoo Finance -> validate -> load raw -> clean -> quality -> snapshot) in the background; full history for new tickers, incremental for stored ones. Poll GET /api/jobs/{jobId}; the summary is also in GET /api/etl/runs.',
        body: EtlRequestSchema,
        response: { 202: Type.Object({ jobId: Type.String() }), ...errors },
      },
      // No body at all means the defaults, as `{}` does.
      preValidation: (req, _reply, done) => {
        // Fastify leaves the body undefined when none was sent, whatever the schema's type says.
        (req as { body: unknown }).body ??= {};
        done();
      },
    },
    async (req, reply) => {
      const body = req.body;
      const tickers = body.tickers?.map((t) => normalizeSymbol(t, 'tickers'));
      const params = {
        ...(tickers ? { tickers } : {}),
        ...(body.full !== undefined ? { full: body.full } : {}),
        ...(body.snapshot !== undefined ? { snapshot: body.snapshot } : {}),
        trigger: 'api',
      };
      const jobId = deps.flows
        ? await deps.flows.start('etl', params)
        : await deps.queue.enqueue('etl', params);
      return reply.status(202).send({ jobId });
    },
  );

  app.get(
    '/api/etl/runs',
    {
      schema: {
        tags: ['data'],
        description:
          'ETL runs, newest first, each with its steps (counts, ms), per-ticker results and quality checks.',
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(EtlRunSchema), ...errors },
      },
    },
    async (req) => (deps.etlRuns ? deps.etlRuns.list(req.query.limit ?? 50) : []),
  );

  app.get(
    '/api/etl/runs/:id',
    {
      schema: {
        tags: ['data'],
        params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) }),
        response: { 200: EtlRunSchema, ...errors },
      },
    },
    async (req) => {
      if (!deps.etlRuns) {
        throw new EtlRunNotFoundError(req.params.id);
      }
      return deps.etlRuns.get(req.params.id);
    },
  );
}
