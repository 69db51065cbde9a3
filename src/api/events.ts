// The live part of the contract: the events on the bus as JSON, the WebSocket channels that stream them, their
// query filters, the messages a client receives and the close codes it may see.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { FlowRunSchema, FlowRunStateSchema } from './flows.js';
import { AliasEventSchema } from './models.js';
import { ForecastModelSchema, PriceIntervalSchema } from './predict.js';
import { EpochMs, Ticker } from './primitives.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const PredictionServedSchema = Type.Object({
  ticker: Type.String(),
  horizon: Type.Integer(),
  asOf: Type.String(),
  targetDate: Type.String(),
  model: ForecastModelSchema,
  predictedReturn: Type.Number(),
  predictedClose: Type.Number(),
  lastClose: Type.Number(),
  intervals: Type.Array(PriceIntervalSchema),
  servedAt: EpochMs,
  via: Type.Union([Type.Literal('predict'), Type.Literal('batch'), Type.Literal('forecast')]),
  instance: Type.String(),
});

export const HttpWindowSchema = Type.Object({
  group: Type.String({
    description: "The route group: the endpoint's tag (predict, data, train...)",
  }),
  requests: Type.Integer(),
  requestsPerSecond: Type.Number(),
  errors: Type.Integer({ description: 'Answers with status 500 or above' }),
  p50Ms: Type.Number(),
  p99Ms: Type.Number(),
});

export const MetricsSampleSchema = Type.Object({
  instance: Type.String(),
  role: Type.Union([Type.Literal('server'), Type.Literal('worker'), Type.Literal('cli')]),
  pid: Type.Integer(),
  at: EpochMs,
  intervalMs: Type.Integer(),
  cpuPercent: Type.Number({ description: 'Process CPU time over wall time; 100 = one core' }),
  rssBytes: Type.Integer(),
  heapUsedBytes: Type.Integer(),
  eventLoopDelayP99Ms: Type.Number(),
  http: Type.Array(HttpWindowSchema),
  predictionsPerSecond: Type.Number(),
  queueDepth: Nullable(Type.Integer()),
  flowRuns: Type.Array(Type.Object({ state: FlowRunStateSchema, count: Type.Integer() }), {
    description: 'Flow runs by state, all processes (from the flow store)',
  }),
  events: Type.Object({
    published: Type.Integer(),
    dropped: Type.Integer(),
    buffered: Type.Integer(),
  }),
  wsConnections: Type.Integer(),
});

export const AlertSeveritySchema = Type.Union([
  Type.Literal('info'),
  Type.Literal('warning'),
  Type.Literal('critical'),
]);

export const AlertRaisedSchema = Type.Object({
  alertId: Type.String(),
  rule: Type.String(),
  severity: AlertSeveritySchema,
  ticker: Nullable(Type.String()),
  horizon: Nullable(Type.Integer()),
  message: Type.String(),
  value: Nullable(Type.Number()),
  threshold: Nullable(Type.Number()),
  raisedAt: EpochMs,
});

export const AlertResolvedSchema = Type.Object({
  alertId: Type.String(),
  rule: Type.String(),
  ticker: Nullable(Type.String()),
  horizon: Nullable(Type.Integer()),
  message: Type.String(),
  resolvedAt: EpochMs,
});

export const FlowRunChangedSchema = Type.Object({
  run: FlowRunSchema,
  previousState: Nullable(FlowRunStateSchema),
});

export const ModelAliasMovedSchema = Type.Omit(AliasEventSchema, ['id']);

export const DataLoadedSchema = Type.Object({
  ticker: Type.String(),
  origin: Type.Union([Type.Literal('etl'), Type.Literal('import')]),
  newBars: Type.Integer(),
  updatedBars: Type.Integer(),
  lastDate: Nullable(Type.String()),
  etlRunId: Nullable(Type.String()),
  at: EpochMs,
});

/** One event as JSON on Kafka and on a WebSocket: its type, schema version, the bus's envelope and its data. */
function busEvent<T extends string, D extends TSchema>(type: T, data: D) {
  return Type.Object({
    type: Type.Literal(type),
    schemaVersion: Type.Literal(1),
    id: Type.String({ description: 'Unique per event: de-duplicate on it' }),
    time: EpochMs,
    source: Type.String({ description: 'The publishing process (host:pid unless configured)' }),
    key: Type.String({ description: 'Partition key: ticker, run id, model name or process' }),
    data,
  });
}

export const PredictionServedEventSchema = busEvent('prediction.served', PredictionServedSchema);
export const MetricsSampleEventSchema = busEvent('metrics.sample', MetricsSampleSchema);
export const AlertRaisedEventSchema = busEvent('alert.raised', AlertRaisedSchema);
export const AlertResolvedEventSchema = busEvent('alert.resolved', AlertResolvedSchema);
export const FlowRunChangedEventSchema = busEvent('flow-run.changed', FlowRunChangedSchema);
export const ModelAliasMovedEventSchema = busEvent('model.alias-moved', ModelAliasMovedSchema);
export const DataLoadedEventSchema = busEvent('data.loaded', DataLoadedSchema);

export const LiveEventSchema = Type.Union([
  PredictionServedEventSchema,
  MetricsSampleEventSchema,
  AlertRaisedEventSchema,
  AlertResolvedEventSchema,
  FlowRunChangedEventSchema,
  ModelAliasMovedEventSchema,
  DataLoadedEventSchema,
]);
export type LiveEvent = Static<typeof LiveEventSchema>;
export type LiveEventOf<T extends LiveEvent['type']> = Extract<LiveEvent, { type: T }>;

/** `?ticker=`: only events about this ticker (predictions, alerts, flow runs with that ticker parameter). */
export const LiveTickerQuery = Type.Object(
  { ticker: Type.Optional(Ticker) },
  { additionalProperties: false },
);
/** `?instance=`: only the samples of this process. */
export const LiveInstanceQuery = Type.Object(
  { instance: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);

/** Close codes a WebSocket client may see (besides 1000 and 1006, an abrupt end such as a dropped dead peer). */
export const WS_CLOSE_CODES = {
  /** The server is shutting down (RFC 6455 "going away"): reconnect, another replica will answer. */
  goingAway: 1001,
  /** The process already holds its maximum of connections (RFC 6455 "try again later"): back off, retry. */
  tryAgainLater: 1013,
  /** The client read too slowly: more than the bound of bytes waited to be sent to it. */
  slowConsumer: 4008,
} as const;

/** The WebSocket channels: path, filter, the events each streams. Reads are open, like every GET route. */
export const liveChannels = {
  predictions: {
    path: '/ws/predictions',
    querystring: LiveTickerQuery,
    events: ['prediction.served'],
    description:
      'Every forecast served by any replica (predict, and each champion of a forecast path).',
  },
  metrics: {
    path: '/ws/metrics',
    querystring: LiveInstanceQuery,
    events: ['metrics.sample'],
    description:
      'A sample per process every 2 s (CPU, memory, event-loop delay, HTTP by route group, predictions/s, queue depth, flow runs by state); on connect, the samples of the last 5 minutes come first.',
  },
  alerts: {
    path: '/ws/alerts',
    querystring: LiveTickerQuery,
    events: ['alert.raised', 'alert.resolved'],
    description: 'Monitoring alerts as they are raised and resolved.',
  },
  'flow-runs': {
    path: '/ws/flow-runs',
    querystring: LiveTickerQuery,
    events: ['flow-run.changed'],
    description:
      'Every state change of every flow run, with the run as GET /api/flow-runs/{id} shows it.',
  },
} as const satisfies Record<
  string,
  { path: string; querystring: TSchema; events: readonly LiveEvent['type'][]; description: string }
>;

export type LiveChannel = keyof typeof liveChannels;
export const LIVE_CHANNELS = Object.keys(liveChannels) as readonly LiveChannel[];

/** The first message on every connection: what it is subscribed to and the server's limits. */
export const LiveReadySchema = Type.Object({
  type: Type.Literal('ready'),
  channel: Type.String(),
  instance: Type.String({ description: 'The process this socket is connected to' }),
  bus: Type.Union([Type.Literal('in-process'), Type.Literal('kafka')]),
  filter: Type.Object({
    ticker: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
  }),
  pingMs: Type.Integer(),
  maxBufferedBytes: Type.Integer(),
});
export type LiveReady = Static<typeof LiveReadySchema>;

/** Every message a WebSocket client receives (JSON text frames). */
export const LiveMessageSchema = Type.Union([LiveReadySchema, LiveEventSchema]);
export type LiveMessage = Static<typeof LiveMessageSchema>;

/** The WebSocket section of the OpenAPI description (OpenAPI itself cannot describe a WebSocket). */
export const LIVE_DOC = [
  '## Live streams (WebSocket)',
  '',
  'Each channel is a WebSocket at the path below, open to anyone who may read (no API key), optionally filtered by its query. Every message is a JSON text frame: first `{"type":"ready",...}`, then events `{ type, schemaVersion, id, time, source, key, data }` (schemas: `LiveMessageSchema` in the contract, `src/api/events.ts`).',
  '',
  ...Object.values(liveChannels).map(
    (c) =>
      `- \`${c.path}\`${'ticker' in c.querystring.properties ? ' `?ticker=`' : ' `?instance=`'}: ${c.events.map((e) => `\`${e}\``).join(', ')}. ${c.description}`,
  ),
  '',
  `The server pings every 30 s (STOCKOPS_WS_PING_MS) and drops a peer that did not answer the previous ping. Close codes: ${WS_CLOSE_CODES.goingAway} server shutting down; ${WS_CLOSE_CODES.tryAgainLater} connection limit reached (STOCKOPS_WS_MAX_CONNECTIONS), retry later; ${WS_CLOSE_CODES.slowConsumer} slow consumer: more than STOCKOPS_WS_MAX_BUFFERED_BYTES waited to be sent, reconnect and read faster.`,
].join('\n');
