// System resources: liveness and what this process runs on.
import { Type, type Static } from '@sinclair/typebox';

export const TrackingInfoSchema = Type.Object({
  backend: Type.Union([Type.Literal('built-in'), Type.Literal('mlflow')]),
  mlflowUrl: Type.Union([Type.String(), Type.Null()]),
  namePrefix: Type.String(),
});
export type TrackingInfo = Static<typeof TrackingInfoSchema>;

export const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  bootstrap: Type.Optional(
    Type.Object({
      state: Type.Union(
        (['pending', 'running', 'done', 'failed'] as const).map((s) => Type.Literal(s)),
      ),
      error: Type.Optional(Type.String()),
    }),
  ),
  database: Type.Optional(Type.String({ description: 'pglite or postgres' })),
  tracking: Type.Optional(TrackingInfoSchema),
  instance: Type.Optional(
    Type.String({ description: 'This process (STOCKOPS_INSTANCE), as events name it' }),
  ),
  bus: Type.Optional(
    Type.Union([Type.Literal('in-process'), Type.Literal('kafka')], {
      description: 'Where events travel: this process only, or Kafka (KAFKA_BROKERS)',
    }),
  ),
  grafanaUrl: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description: 'Grafana (GRAFANA_URL), linked from the Live page; null when not configured',
    }),
  ),
});
export type Health = Static<typeof HealthSchema>;

export const ReadySchema = Type.Object({
  status: Type.Literal('ready'),
  champions: Type.Integer({ description: 'Champion versions loaded for serving' }),
  instance: Type.String({ description: 'This replica (also the x-stockops-instance header)' }),
});
export type Ready = Static<typeof ReadySchema>;
