// Event channels, keys and the check of events read from another process.
import { describe, expect, it } from 'vitest';
import {
  CHANNEL_OF,
  EVENT_CHANNELS,
  eventKey,
  eventTickers,
  makeEvent,
  readBusEvent,
} from './index.js';

const loaded = makeEvent('data.loaded', {
  ticker: 'AAPL',
  origin: 'etl',
  newBars: 2,
  updatedBars: 0,
  lastDate: '2024-01-02',
  etlRunId: 'e1',
  at: 1,
});
const meta = { id: 'x', time: 1, source: 'p', key: 'AAPL' };

describe('event types', () => {
  it('puts every type on a channel that has a topic', () => {
    for (const channel of Object.values(CHANNEL_OF)) {
      expect(EVENT_CHANNELS).toContain(channel);
    }
  });

  it('keys events by what they are about, so their order holds per ticker, run or model', () => {
    expect(eventKey(loaded)).toBe('AAPL');
    const alias = makeEvent('model.alias-moved', {
      name: 'AAPL.h5',
      alias: 'champion',
      fromVersion: 1,
      toVersion: 2,
      actor: 'gate',
      reason: 'better',
      metrics: {},
      at: 1,
    });
    expect(eventKey(alias)).toBe('AAPL.h5');
    expect(eventTickers(alias)).toEqual(['AAPL']);
  });

  it('reads the tickers of a flow run from its ticker or tickers parameter', () => {
    const run = (parameters: Record<string, unknown>) =>
      makeEvent('flow-run.changed', {
        run: {
          id: 'r',
          flow: 'etl',
          state: 'Queued',
          attempts: 0,
          parameters,
          result: null,
          error: null,
          parentId: null,
          scheduleId: null,
          worker: null,
          createdAt: 1,
          startedAt: null,
          endedAt: null,
        },
        previousState: null,
      });
    expect(eventTickers(run({ tickers: ['^GSPC', 'AAPL', 3] }))).toEqual(['^GSPC', 'AAPL']);
    expect(eventTickers(run({ ticker: 'MSFT' }))).toEqual(['MSFT']);
    expect(eventTickers(run({}))).toBeNull();
  });

  it('accepts an event of a known type at a schema version this build reads', () => {
    expect(readBusEvent({ ...loaded, ...meta })).toEqual({
      ok: true,
      event: { ...loaded, ...meta },
    });
  });

  it('refuses unknown types, newer schema versions and missing envelope fields, saying which', () => {
    expect(readBusEvent({ ...loaded, ...meta, type: 'model.deleted' })).toMatchObject({
      ok: false,
      reason: 'unknown event type "model.deleted"',
    });
    expect(readBusEvent({ ...loaded, ...meta, schemaVersion: 2 })).toMatchObject({
      ok: false,
      reason: 'data.loaded schema version 2; this build reads 1 to 1',
    });
    expect(readBusEvent({ ...loaded, id: 'x' })).toMatchObject({ ok: false });
    expect(readBusEvent('[]')).toMatchObject({ ok: false, reason: 'not a JSON object' });
  });
});
