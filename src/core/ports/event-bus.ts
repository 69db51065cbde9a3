// The event bus port: typed, versioned events one process publishes and every process (or one member of a shared group) receives.
import type { AliasEvent } from './alias-log.js';
import type { FlowRunRecord, FlowRunState } from './flows.js';

/**
 * Where an event travels: one Kafka topic (`<prefix>.<channel>`) and, for the first four, one WebSocket
 * channel (`/ws/<channel>`) per value.
 */
export type EventChannel = 'predictions' | 'metrics' | 'alerts' | 'flow-runs' | 'models' | 'data';

/** A forecast served to a client: the fields of a forecast-log row. */
export interface PredictionServed {
  ticker: string;
  horizon: number;
  /** Date of the last bar the forecast is made from. */
  asOf: string;
  targetDate: string;
  model: { name: string; version: number; kind: string; runId: string; featureSet: string };
  /** Predicted log return over the horizon. */
  predictedReturn: number;
  predictedClose: number;
  lastClose: number;
  /** Price intervals at targetDate (80 % and 95 %); empty while a model is uncalibrated. */
  intervals: { level: number; lower: number; upper: number }[];
  /** Milliseconds since the epoch. */
  servedAt: number;
  /** The route that served it: one forecast (`predict`) or one horizon of a path (`forecast`). */
  via: 'predict' | 'batch' | 'forecast';
  /** The process that served it (also the envelope's `source`). */
  instance: string;
}

/** Requests of one route group (the endpoint's tag: predict, data, train...) over one sample interval. */
export interface HttpWindow {
  group: string;
  requests: number;
  requestsPerSecond: number;
  /** Answers with status 500 or above. */
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

/** One process's vital signs over the last interval (every 2 s by default). */
export interface MetricsSample {
  instance: string;
  role: 'server' | 'worker' | 'cli';
  pid: number;
  /** End of the interval, ms since the epoch. */
  at: number;
  intervalMs: number;
  /** Process CPU time over wall time; 100 is one core busy. */
  cpuPercent: number;
  rssBytes: number;
  heapUsedBytes: number;
  eventLoopDelayP99Ms: number;
  http: HttpWindow[];
  predictionsPerSecond: number;
  /** Jobs waiting to start; null when the queue could not be read. */
  queueDepth: number | null;
  /** Flow runs by state, across all processes (from the flow store). */
  flowRuns: { state: FlowRunState; count: number }[];
  /** This process's bus: events handed to the backend, dropped, and waiting in its buffer. */
  events: { published: number; dropped: number; buffered: number };
  /** Open WebSocket connections on this process (0 for workers). */
  wsConnections: number;
}

export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface AlertRaised {
  alertId: string;
  /** The rule that fired, e.g. `drift`, `accuracy-decay`, `stale-data`. */
  rule: string;
  severity: AlertSeverity;
  ticker: string | null;
  horizon: number | null;
  message: string;
  value: number | null;
  threshold: number | null;
  raisedAt: number;
}

export interface AlertResolved {
  alertId: string;
  rule: string;
  ticker: string | null;
  horizon: number | null;
  message: string;
  resolvedAt: number;
}

/** A flow run as the API shows it (GET /api/flow-runs/{id}), without its lease internals. */
export type FlowRunSnapshot = Omit<
  FlowRunRecord,
  'idempotencyKey' | 'heartbeatAt' | 'cancelRequested'
>;

export interface FlowRunChanged {
  run: FlowRunSnapshot;
  /** The state this process saw before the change; null for a new run or when it did not know it. */
  previousState: FlowRunState | null;
}

/** An alias move as the audit log records it (without the log's row id). */
export type ModelAliasMoved = Omit<AliasEvent, 'id'>;

export interface DataLoaded {
  ticker: string;
  /** Who loaded the bars. */
  origin: 'etl' | 'import';
  /** Raw bars stored that were not there before. */
  newBars: number;
  /** Raw bars whose values changed (the ETL's overlap re-fetch); 0 for imports. */
  updatedBars: number;
  /** Last date of the cleaned series after the load. */
  lastDate: string | null;
  etlRunId: string | null;
  at: number;
}

interface Versioned<T extends string, V extends number, D> {
  type: T;
  /** Version of `data`'s shape for this type; a consumer skips versions it does not know. */
  schemaVersion: V;
  data: D;
}

/** What a publisher hands to the bus: a discriminated union on `type`. */
export type StockopsEvent =
  | Versioned<'prediction.served', 1, PredictionServed>
  | Versioned<'metrics.sample', 1, MetricsSample>
  | Versioned<'alert.raised', 1, AlertRaised>
  | Versioned<'alert.resolved', 1, AlertResolved>
  | Versioned<'flow-run.changed', 1, FlowRunChanged>
  | Versioned<'model.alias-moved', 1, ModelAliasMoved>
  | Versioned<'data.loaded', 1, DataLoaded>;

export type EventType = StockopsEvent['type'];

export type EventOf<T extends EventType> = Extract<StockopsEvent, { type: T }>;

/** What the bus stamps on an event when it is published. */
export interface EventMeta {
  /** Unique per event (a UUID): consumers that must not act twice key on it. */
  id: string;
  /** Publish time, ms since the epoch. */
  time: number;
  /** The publishing process (`host:pid` unless configured). */
  source: string;
  /** Partition key: the ticker, run id, model name or instance the event is about; order holds per key. */
  key: string;
}

/** An event as subscribers receive it. */
export type BusEvent = StockopsEvent & EventMeta;

export interface EventSubscription {
  /** Resolves once events published from now on are delivered (a Kafka consumer has joined its group). */
  readonly ready: Promise<void>;
  /** Stops delivery to this subscription. */
  close(): Promise<void>;
}

export type DropReason = 'buffer-full' | 'send-failed' | 'too-large' | 'closed';

export interface EventBusStats {
  /** Events handed to the backend (acknowledged by Kafka, or delivered in process). */
  published: number;
  dropped: number;
  /** Events waiting in this process's bounded buffer. */
  buffered: number;
}

/**
 * Publishing never blocks or throws: an event goes to a bounded buffer and is sent in batches; when the
 * buffer is full, the event is too large, or the backend refuses a batch, the events are dropped, counted
 * and logged. Subscribers of `subscribe` each receive every event of their channels published after they
 * are ready, by any process (fan-out); a shared group (`subscribeShared`) receives each event once across
 * all its members, at least once.
 */
export interface EventBus {
  readonly kind: 'in-process' | 'kafka';
  publish(event: StockopsEvent): void;
  /** Every event of these channels, from now on; the handler runs outside the publisher's call stack. */
  subscribe(
    channels: readonly EventChannel[],
    handler: (event: BusEvent) => void,
  ): EventSubscription;
  /**
   * Each event of these channels to one member of `group`, whichever process it lives in; the next event
   * waits for the handler. A handler that throws is retried a few times, then the event is logged and skipped.
   */
  subscribeShared(
    group: string,
    channels: readonly EventChannel[],
    handler: (event: BusEvent) => Promise<void>,
  ): EventSubscription;
  /** Resolves when the events buffered so far have been sent or dropped. */
  flush(): Promise<void>;
  stats(): EventBusStats;
  /** Sends what is buffered (bounded wait), then stops subscriptions and connections. */
  close(): Promise<void>;
}
