// Per event type: the channel it travels on, its current schema version and partition key; and the check that an
// event read from another process is one this build understands.
import type { BusEvent, EventChannel, EventOf, EventType, StockopsEvent } from '../ports/index.js';

// Keyed by channel, so a channel added to the port but not here is a compile error.
const CHANNELS: Readonly<Record<EventChannel, true>> = {
  predictions: true,
  metrics: true,
  alerts: true,
  'flow-runs': true,
  models: true,
  data: true,
};

/** Every channel, in the order topics are created and listed. */
export const EVENT_CHANNELS = Object.keys(CHANNELS) as readonly EventChannel[];

export const CHANNEL_OF: Readonly<Record<EventType, EventChannel>> = {
  'prediction.served': 'predictions',
  'metrics.sample': 'metrics',
  'alert.raised': 'alerts',
  'alert.resolved': 'alerts',
  'flow-run.changed': 'flow-runs',
  'model.alias-moved': 'models',
  'data.loaded': 'data',
};

/** The schema version of each type this build writes, and the newest it reads. */
export const EVENT_SCHEMA_VERSIONS: { readonly [T in EventType]: EventOf<T>['schemaVersion'] } = {
  'prediction.served': 1,
  'metrics.sample': 1,
  'alert.raised': 1,
  'alert.resolved': 1,
  'flow-run.changed': 1,
  'model.alias-moved': 1,
  'data.loaded': 1,
};

export const isEventType = (t: unknown): t is EventType =>
  typeof t === 'string' && Object.hasOwn(CHANNEL_OF, t);

/** An event of `type` at its current schema version. */
export function makeEvent<T extends EventType>(type: T, data: EventOf<T>['data']): EventOf<T> {
  return { type, schemaVersion: EVENT_SCHEMA_VERSIONS[type], data } as EventOf<T>;
}

/** The partition key: events about one ticker, run, model or process keep their order. */
export function eventKey(event: StockopsEvent): string {
  switch (event.type) {
    case 'prediction.served':
    case 'data.loaded':
      return event.data.ticker;
    case 'metrics.sample':
      return event.data.instance;
    case 'alert.raised':
    case 'alert.resolved':
      return event.data.ticker ?? event.data.alertId;
    case 'flow-run.changed':
      return event.data.run.id;
    case 'model.alias-moved':
      return event.data.name;
  }
}

/**
 * The tickers an event concerns, for `?ticker=` filters: a flow run's `ticker` or `tickers` parameter, an
 * alert's ticker; null for events about no ticker (metrics samples, alerts on the whole system).
 */
export function eventTickers(event: StockopsEvent): readonly string[] | null {
  switch (event.type) {
    case 'prediction.served':
    case 'data.loaded':
      return [event.data.ticker];
    case 'alert.raised':
    case 'alert.resolved':
      return event.data.ticker === null ? null : [event.data.ticker];
    case 'flow-run.changed': {
      const { ticker, tickers } = event.data.run.parameters;
      const list = [
        ...(typeof ticker === 'string' ? [ticker] : []),
        ...(Array.isArray(tickers) ? tickers.filter((t) => typeof t === 'string') : []),
      ];
      return list.length > 0 ? list : null;
    }
    case 'model.alias-moved': {
      // Models stockops trains are named `${ticker}.h${horizon}`.
      const m = /^(.+)\.h\d+$/.exec(event.data.name);
      return m?.[1] === undefined ? null : [m[1]];
    }
    case 'metrics.sample':
      return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the envelope of an event read from another process (which may run another version): a known
 * type at a schema version this build reads, and the bus's own fields. The payload is trusted as the
 * type's shape at that version, since only stockops publishes on these topics.
 */
export function readBusEvent(
  value: unknown,
): { ok: true; event: BusEvent } | { ok: false; reason: string } {
  if (!isObject(value)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const { type, schemaVersion, id, time, source, key, data } = value;
  if (!isEventType(type)) {
    return { ok: false, reason: `unknown event type ${JSON.stringify(type)}` };
  }
  if (
    typeof schemaVersion !== 'number' ||
    !Number.isInteger(schemaVersion) ||
    schemaVersion < 1 ||
    schemaVersion > EVENT_SCHEMA_VERSIONS[type]
  ) {
    return {
      ok: false,
      reason: `${type} schema version ${JSON.stringify(schemaVersion)}; this build reads 1 to ${EVENT_SCHEMA_VERSIONS[type]}`,
    };
  }
  if (
    typeof id !== 'string' ||
    typeof time !== 'number' ||
    typeof source !== 'string' ||
    typeof key !== 'string' ||
    !isObject(data)
  ) {
    return { ok: false, reason: `${type} lacks id, time, source, key or data` };
  }
  return { ok: true, event: value as unknown as BusEvent };
}
