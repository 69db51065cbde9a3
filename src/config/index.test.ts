// The event settings read from the environment: Kafka brokers and topic prefix, WebSocket limits, Grafana.
import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.js';

describe('loadConfig: events', () => {
  it('keeps events in process unless KAFKA_BROKERS names brokers', () => {
    expect(loadConfig({}).events).toMatchObject({
      kafkaBrokers: null,
      topicPrefix: 'stockops',
      maxBuffered: 10_000,
      metricsSampleMs: 2_000,
      wsMaxConnections: 1_000,
      wsMaxBufferedBytes: 1_048_576,
    });
    expect(
      loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092, kafka-2:19092,[::1]:9093' }).events.kafkaBrokers,
    ).toEqual(['127.0.0.1:9092', 'kafka-2:19092', '[::1]:9093']);
  });

  it('refuses a broker list without ports and a prefix Kafka cannot name a topic with, saying what it expects', () => {
    expect(() => loadConfig({ KAFKA_BROKERS: 'localhost' })).toThrow(
      /KAFKA_BROKERS must be host:port\[,host:port\.\.\.\].*found "localhost"/,
    );
    expect(() => loadConfig({ KAFKA_TOPIC_PREFIX: 'stock ops' })).toThrow(/KAFKA_TOPIC_PREFIX/);
    expect(() => loadConfig({ STOCKOPS_WS_MAX_BUFFERED_BYTES: '12' })).toThrow(
      /STOCKOPS_WS_MAX_BUFFERED_BYTES must be an integer in \[1024,/,
    );
  });

  it('takes GRAFANA_URL without its trailing slash, and names this process', () => {
    const c = loadConfig({ GRAFANA_URL: 'http://grafana:3000/', STOCKOPS_INSTANCE: 'api-1' });
    expect(c.grafanaUrl).toBe('http://grafana:3000');
    expect(c.instanceId).toBe('api-1');
    expect(loadConfig({}).instanceId).toMatch(new RegExp(`-${process.pid}$`));
    expect(() => loadConfig({ GRAFANA_URL: 'grafana' })).toThrow(/GRAFANA_URL must be an http/);
  });
});
