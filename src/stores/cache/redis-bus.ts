// InvalidationBus on Redis pub/sub (REDIS_URL): every replica and worker hears the alias moves and bar loads of the others.
import { Redis } from 'ioredis';
import type { Invalidation, InvalidationBus } from '../../core/index.js';

const isInvalidation = (v: unknown): v is Invalidation => {
  if (typeof v !== 'object' || v === null || !('kind' in v)) {
    return false;
  }
  const o = v as Record<string, unknown>;
  return (
    (o.kind === 'champion' && typeof o.model === 'string') ||
    (o.kind === 'bars' && typeof o.ticker === 'string') ||
    o.kind === 'all'
  );
};

export interface RedisBusOptions {
  url: string;
  /** Channel prefix, so stacks sharing a Redis do not hear each other (STOCKOPS_QUEUE_PREFIX). */
  prefix: string;
}

/**
 * Publishes on one channel and subscribes to it on a second connection (a subscribed Redis connection can do
 * nothing else). A message published here is handed to local subscribers at once, not after the round trip,
 * so this process never serves a stale forecast of its own change. Pub/sub keeps no history: after the
 * subscription drops and comes back, subscribers are told to forget everything (`{ kind: 'all' }`), and while it
 * is down `listening()` is false so caches fall back to re-reading every second.
 */
export class RedisInvalidationBus implements InvalidationBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private readonly handlers = new Set<(i: Invalidation) => void>();
  private subscribed = false;
  private everSubscribed = false;

  private constructor(options: RedisBusOptions) {
    this.channel = `${options.prefix}:serving-invalidations`;
    const common = { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true };
    this.pub = new Redis(options.url, common);
    // The subscriber queues its SUBSCRIBE until connected and re-subscribes by itself after a reconnect.
    this.sub = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: null });
    for (const c of [this.pub, this.sub]) {
      // ioredis reconnects on its own; an error event without a listener would crash the process.
      c.on('error', () => undefined);
    }
    this.sub.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) {
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return;
      }
      if (isInvalidation(parsed)) {
        this.deliver(parsed);
      }
    });
    this.sub.on('close', () => {
      this.subscribed = false;
    });
    this.sub.on('ready', () => {
      // ioredis re-issues SUBSCRIBE on reconnect (autoResubscribe) before 'ready'.
      if (this.everSubscribed) {
        this.subscribed = true;
        this.deliver({ kind: 'all' });
      }
    });
  }

  static async open(options: RedisBusOptions): Promise<RedisInvalidationBus> {
    const bus = new RedisInvalidationBus(options);
    await Promise.all([bus.pub.connect(), bus.sub.connect()]);
    await bus.sub.subscribe(bus.channel);
    bus.subscribed = true;
    bus.everSubscribed = true;
    return bus;
  }

  listening(): boolean {
    return this.subscribed;
  }

  private deliver(i: Invalidation): void {
    for (const h of this.handlers) {
      h(i);
    }
  }

  async publish(invalidation: Invalidation): Promise<void> {
    this.deliver(invalidation);
    await this.pub.publish(this.channel, JSON.stringify(invalidation));
  }

  subscribe(handler: (invalidation: Invalidation) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  close(): Promise<void> {
    this.handlers.clear();
    this.subscribed = false;
    this.pub.disconnect();
    this.sub.disconnect();
    return Promise.resolve();
  }
}
