// Training resources: start a train flow run, and the job view of a flow run kept for older clients.
import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, FlowRunId, Horizon, ModelKind, Ticker } from './primitives.js';

export const TrainRequestSchema = Type.Object(
  {
    ticker: Ticker,
    model: Type.Optional(ModelKind),
    horizon: Type.Optional(Horizon),
  },
  { additionalProperties: false },
);
export type TrainRequest = Static<typeof TrainRequestSchema>;

/** A started flow run: `id`, as every flow start answers, and `jobId`, the same id under its older name. */
export const JobAcceptedSchema = Type.Object({
  id: Type.String({ description: 'The flow run id; poll GET /api/flow-runs/{id}' }),
  jobId: Type.String({
    description: 'The same id, the name older clients read (GET /api/jobs/{id} answers it too)',
  }),
});
export type JobAccepted = Static<typeof JobAcceptedSchema>;

export const JobStatusSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);

export const JobParams = Type.Object({ id: FlowRunId });

/** A flow run in the job shape `/api/jobs/{id}` has always answered with. */
export const JobSchema = Type.Object({
  id: Type.String(),
  name: Type.String({ description: 'The flow' }),
  status: JobStatusSchema,
  result: Type.Optional(Type.Unknown()),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  createdAt: EpochMs,
  startedAt: Type.Optional(EpochMs),
  endedAt: Type.Optional(EpochMs),
});
export type Job = Static<typeof JobSchema>;
