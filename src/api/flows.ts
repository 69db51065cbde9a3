// Flow resources: the flows with their typed parameters, flow runs (not the tracked runs of /api/runs), schedules.
import { Type, type Static } from '@sinclair/typebox';
import { FLOW_RUN_STATES } from '../core/index.js';
import { EpochMs, FlowRunId } from './primitives.js';

export const FlowRunStateSchema = Type.Union(
  FLOW_RUN_STATES.map((s) => Type.Literal(s)),
  { description: "Prefect's state names" },
);

/** The JSON Schema keywords a flow parameter's value uses (a scalar, one literal as `const`). */
const valueKeywords = {
  type: Type.Optional(
    Type.String({ description: 'JSON Schema type: string, integer, number, boolean, array' }),
  ),
  description: Type.Optional(Type.String()),
  const: Type.Optional(Type.Unknown()),
  pattern: Type.Optional(Type.String()),
  minimum: Type.Optional(Type.Number()),
  maximum: Type.Optional(Type.Number()),
  minLength: Type.Optional(Type.Integer()),
  maxLength: Type.Optional(Type.Integer()),
};
const ParameterValueSchema = Type.Object(valueKeywords);

/** One flow parameter as JSON Schema (`anyOf` of `const`s is a choice, `items` an array's element). */
export const FlowParameterSchema = Type.Object({
  ...valueKeywords,
  description: Type.String(),
  default: Type.Optional(Type.Unknown()),
  anyOf: Type.Optional(Type.Array(ParameterValueSchema)),
  items: Type.Optional(
    Type.Object({ ...valueKeywords, anyOf: Type.Optional(Type.Array(ParameterValueSchema)) }),
  ),
  minItems: Type.Optional(Type.Integer()),
  maxItems: Type.Optional(Type.Integer()),
});
export type FlowParameterView = Static<typeof FlowParameterSchema>;

export const FlowInfoSchema = Type.Object({
  name: Type.String(),
  description: Type.String(),
  tasks: Type.Array(Type.String()),
  parameters: Type.Record(Type.String(), FlowParameterSchema, {
    description: "Each parameter's JSON Schema, as the server validates it: enough to build a form",
  }),
  required: Type.Array(Type.String(), { description: 'Parameters a run must be given' }),
});
export type FlowInfoView = Static<typeof FlowInfoSchema>;

export const FlowParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }) });
export const FlowStartBody = Type.Record(Type.String(), Type.Unknown(), {
  description: "The flow's parameters",
});
export const FlowRunAcceptedSchema = Type.Object({
  id: Type.String({ description: 'The flow run id' }),
  jobId: Type.String({ description: 'The same id, as POST /api/train has always named it' }),
});

const RunError = Type.Object({ code: Type.String(), message: Type.String() });

export const FlowRunSchema = Type.Object({
  id: Type.String(),
  flow: Type.String(),
  state: FlowRunStateSchema,
  attempts: Type.Integer(),
  parameters: Type.Record(Type.String(), Type.Unknown()),
  result: Type.Unknown(),
  error: Type.Union([RunError, Type.Null()]),
  parentId: Type.Union([Type.String(), Type.Null()]),
  scheduleId: Type.Union([Type.String(), Type.Null()]),
  worker: Type.Union([Type.String(), Type.Null()]),
  createdAt: EpochMs,
  startedAt: Type.Union([EpochMs, Type.Null()]),
  endedAt: Type.Union([EpochMs, Type.Null()]),
});
export type FlowRun = Static<typeof FlowRunSchema>;

export const TaskRunSchema = Type.Object({
  task: Type.String(),
  state: FlowRunStateSchema,
  attempts: Type.Integer(),
  idempotencyKey: Type.String(),
  result: Type.Unknown(),
  error: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.Union([EpochMs, Type.Null()]),
  endedAt: Type.Union([EpochMs, Type.Null()]),
});
export type TaskRun = Static<typeof TaskRunSchema>;

export const FlowLogSchema = Type.Object({
  at: EpochMs,
  level: Type.Union([Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')]),
  task: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
});
export type FlowLog = Static<typeof FlowLogSchema>;

export const FlowRunDetailSchema = Type.Composite([
  FlowRunSchema,
  Type.Object({ taskRuns: Type.Array(TaskRunSchema), logs: Type.Array(FlowLogSchema) }),
]);
export type FlowRunDetailView = Static<typeof FlowRunDetailSchema>;

export const FlowRunsQuery = Type.Object(
  {
    flow: Type.Optional(Type.String({ maxLength: 60 })),
    state: Type.Optional(FlowRunStateSchema),
    parent: Type.Optional(FlowRunId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const FlowRunParams = Type.Object({ id: FlowRunId });

export const ScheduleSchema = Type.Object({
  id: Type.String(),
  flow: Type.String(),
  cron: Type.String(),
  timezone: Type.String(),
  parameters: Type.Record(Type.String(), Type.Unknown()),
  enabled: Type.Boolean(),
  description: Type.String(),
  updatedAt: EpochMs,
  nextRunAt: Type.Union([EpochMs, Type.Null()]),
});
export type Schedule = Static<typeof ScheduleSchema>;

export const ScheduleParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const SchedulePatchSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    cron: Type.Optional(Type.String({ minLength: 9, maxLength: 100 })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type SchedulePatch = Static<typeof SchedulePatchSchema>;
