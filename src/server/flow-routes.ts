// Flow routes: start, list, inspect and cancel flow runs (not the tracked experiment runs of /api/runs), and schedules.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  FlowRunNotFoundError,
  type FlowRunState,
  type FlowService,
  type ScheduleRecord,
} from '../core/index.js';
import {
  ErrorSchema,
  FlowInfoSchema,
  FlowRunDetailSchema,
  FlowRunSchema,
  FlowRunStateSchema,
  ScheduleSchema,
} from './schemas.js';

export interface FlowRouteDeps {
  flows: FlowService;
}

const errors = { 400: ErrorSchema, 404: ErrorSchema };
const RunId = Type.Object({ id: Type.String({ maxLength: 100 }) });

export function registerFlowRoutes(instance: FastifyInstance, deps: FlowRouteDeps): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const withNext = (s: ScheduleRecord) => ({ ...s, nextRunAt: deps.flows.nextRunAt(s) });

  app.get(
    '/api/flows',
    { schema: { tags: ['flows'], response: { 200: Type.Array(FlowInfoSchema) } } },
    () => deps.flows.listFlows(),
  );

  app.post(
    '/api/flows/:name/runs',
    {
      schema: {
        tags: ['flows'],
        security: [{ apiKey: [] }],
        description:
          "Body: the flow's parameters (see GET /api/flows). Poll GET /api/flow-runs/{id}.",
        params: Type.Object({ name: Type.String({ maxLength: 60 }) }),
        body: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        response: { 202: Type.Object({ id: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      // An empty body is the flow with its default parameters.
      const id = await deps.flows.start(req.params.name, req.body);
      return reply.status(202).send({ id });
    },
  );

  app.get(
    '/api/flow-runs',
    {
      schema: {
        tags: ['flows'],
        description: 'Flow runs, newest first.',
        querystring: Type.Object(
          {
            flow: Type.Optional(Type.String({ maxLength: 60 })),
            state: Type.Optional(FlowRunStateSchema),
            parent: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(FlowRunSchema), ...errors },
      },
    },
    (req) =>
      deps.flows.list({
        ...(req.query.flow !== undefined ? { flow: req.query.flow } : {}),
        ...(req.query.state !== undefined ? { state: req.query.state as FlowRunState } : {}),
        ...(req.query.parent !== undefined ? { parentId: req.query.parent } : {}),
        limit: req.query.limit ?? 100,
      }),
  );

  app.get(
    '/api/flow-runs/:id',
    {
      schema: {
        tags: ['flows'],
        params: RunId,
        response: { 200: FlowRunDetailSchema, ...errors },
      },
    },
    async (req) => {
      const run = await deps.flows.get(req.params.id);
      if (!run) {
        throw new FlowRunNotFoundError(req.params.id);
      }
      return run;
    },
  );

  app.post(
    '/api/flow-runs/:id/cancel',
    {
      schema: {
        tags: ['flows'],
        security: [{ apiKey: [] }],
        description:
          'A queued run is Cancelled at once; a running one stops at its next heartbeat (a few seconds) or task boundary.',
        params: RunId,
        response: { 200: FlowRunSchema, ...errors },
      },
    },
    (req) => deps.flows.cancel(req.params.id),
  );

  app.get(
    '/api/schedules',
    { schema: { tags: ['flows'], response: { 200: Type.Array(ScheduleSchema) } } },
    async () => (await deps.flows.listSchedules()).map(withNext),
  );

  app.put(
    '/api/schedules/:id',
    {
      schema: {
        tags: ['flows'],
        security: [{ apiKey: [] }],
        description: 'Enable, disable or edit a schedule; cron has five fields, timezone is IANA.',
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        body: Type.Object(
          {
            enabled: Type.Optional(Type.Boolean()),
            cron: Type.Optional(Type.String({ minLength: 9, maxLength: 100 })),
            timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
            parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          },
          { additionalProperties: false },
        ),
        response: { 200: ScheduleSchema, ...errors },
      },
    },
    async (req) => withNext(await deps.flows.updateSchedule(req.params.id, req.body)),
  );
}
