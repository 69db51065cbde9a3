// Fans the bus's events out to this process's WebSocket clients: one bus subscription for all of them, each event
// serialised once, a bounded send buffer per client (a slow reader is closed, never allowed to grow memory), a
// connection limit, heartbeats that drop dead peers, and the last minutes of metrics samples for new clients.
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from '@fastify/websocket';
import {
  CHANNEL_OF,
  eventTickers,
  type BusEvent,
  type EventBus,
  type EventSubscription,
} from '../../core/index.js';
import {
  LIVE_CHANNELS,
  WS_CLOSE_CODES,
  type LiveChannel,
  type LiveReady,
} from '../../api/index.js';
import type { LiveMetrics } from '../../metrics/index.js';

export interface LiveHubOptions {
  events: EventBus;
  instanceId: string;
  /** Open connections at most; one more is closed at once with 1013. @defaultValue 1000 */
  maxConnections?: number;
  /** Bytes waiting to be sent to one client, past which it is closed with 4008. @defaultValue 1 MiB */
  maxBufferedBytes?: number;
  /** Ping interval; a client that did not answer the previous ping is dropped. @defaultValue 30000 */
  pingMs?: number;
  metrics: LiveMetrics;
  log: FastifyBaseLogger;
}

export interface LiveFilter {
  ticker?: string;
  instance?: string;
}

interface Client {
  socket: WebSocket;
  channel: LiveChannel;
  filter: LiveFilter;
  alive: boolean;
}

/** How long the metrics samples a new client receives first reach back, and how many per process at most. */
const BACKLOG_MS = 5 * 60_000;
const BACKLOG_PER_INSTANCE = 300;
const BACKLOG_INSTANCES = 64;

// ws's WebSocket.OPEN, without importing ws's runtime for a constant.
const OPEN = 1;

export class LiveHub {
  private readonly clients = new Map<LiveChannel, Set<Client>>(
    LIVE_CHANNELS.map((c) => [c, new Set()]),
  );
  private readonly backlog = new Map<string, BusEvent[]>();
  private readonly subscription: EventSubscription;
  private readonly pinger: NodeJS.Timeout;
  private readonly unwatch: () => void;
  private readonly maxConnections: number;
  private readonly maxBufferedBytes: number;
  private readonly pingMs: number;
  private count = 0;

  constructor(private readonly o: LiveHubOptions) {
    this.maxConnections = o.maxConnections ?? 1_000;
    this.maxBufferedBytes = o.maxBufferedBytes ?? 1_048_576;
    this.pingMs = o.pingMs ?? 30_000;
    this.subscription = o.events.subscribe(LIVE_CHANNELS, (e) => {
      this.broadcast(e);
    });
    this.pinger = setInterval(() => {
      this.heartbeat();
    }, this.pingMs);
    this.pinger.unref();
    this.unwatch = o.metrics.watch({
      wsConnections: () =>
        Object.fromEntries([...this.clients].map(([channel, set]) => [channel, set.size])),
      wsBufferedBytes: () => this.bufferedBytes(),
    });
  }

  /** Resolves once the bus delivers to this hub (a Kafka consumer has joined its group). */
  get ready(): Promise<void> {
    return this.subscription.ready;
  }

  get connections(): number {
    return this.count;
  }

  bufferedBytes(): number {
    let n = 0;
    for (const set of this.clients.values()) {
      for (const c of set) {
        n += c.socket.bufferedAmount;
      }
    }
    return n;
  }

  add(socket: WebSocket, channel: LiveChannel, filter: LiveFilter): void {
    // A socket that errors (a reset peer) is closed by ws; the 'close' handler below forgets it.
    socket.on('error', () => undefined);
    if (this.count >= this.maxConnections) {
      this.o.metrics.wsClosed.inc({ reason: 'connection-limit' });
      socket.close(
        WS_CLOSE_CODES.tryAgainLater,
        `connection limit of ${this.maxConnections} reached; retry later`,
      );
      return;
    }
    const client: Client = { socket, channel, filter, alive: true };
    this.clients.get(channel)?.add(client);
    this.count++;
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.once('close', () => {
      if (this.clients.get(channel)?.delete(client)) {
        this.count--;
      }
    });
    const ready: LiveReady = {
      type: 'ready',
      channel,
      instance: this.o.instanceId,
      bus: this.o.events.kind,
      filter,
      pingMs: this.pingMs,
      maxBufferedBytes: this.maxBufferedBytes,
    };
    this.send(client, JSON.stringify(ready));
    if (channel === 'metrics') {
      for (const samples of this.backlog.values()) {
        for (const e of samples) {
          if (this.matches(client, e)) {
            this.send(client, JSON.stringify(e));
          }
        }
      }
    }
  }

  private broadcast(event: BusEvent): void {
    const channel = CHANNEL_OF[event.type] as LiveChannel;
    if (event.type === 'metrics.sample') {
      this.remember(event);
    }
    const set = this.clients.get(channel);
    if (!set || set.size === 0) {
      return;
    }
    // Serialised once for every client of the channel.
    let text: string | null = null;
    for (const client of set) {
      if (this.matches(client, event)) {
        text ??= JSON.stringify(event);
        this.send(client, text);
      }
    }
  }

  private matches(client: Client, event: BusEvent): boolean {
    const { ticker, instance } = client.filter;
    if (instance !== undefined && event.source !== instance) {
      return false;
    }
    return ticker === undefined || (eventTickers(event)?.includes(ticker) ?? false);
  }

  /**
   * Sends unless the client already has its bound of bytes waiting (it does not read fast enough): then it
   * is closed with 4008 and sent nothing more, so what it holds stays under the bound plus one message.
   */
  private send(client: Client, text: string): void {
    const socket = client.socket;
    if (socket.readyState !== OPEN) {
      return;
    }
    // text.length counts UTF-16 units: the bytes of the ASCII JSON the bus carries.
    if (socket.bufferedAmount + text.length > this.maxBufferedBytes) {
      this.o.metrics.wsClosed.inc({ reason: 'slow-consumer' });
      this.o.log.warn(
        { channel: client.channel, buffered: socket.bufferedAmount },
        'closing a WebSocket client that reads too slowly',
      );
      socket.close(
        WS_CLOSE_CODES.slowConsumer,
        `slow consumer: more than ${this.maxBufferedBytes} bytes waited to be sent`,
      );
      return;
    }
    socket.send(text);
  }

  private remember(event: BusEvent): void {
    const now = Date.now();
    let samples = this.backlog.get(event.source);
    if (!samples) {
      if (this.backlog.size >= BACKLOG_INSTANCES) {
        this.forgetQuiet(now);
        if (this.backlog.size >= BACKLOG_INSTANCES) {
          return;
        }
      }
      samples = [];
      this.backlog.set(event.source, samples);
    }
    samples.push(event);
    while (
      samples.length > BACKLOG_PER_INSTANCE ||
      (samples[0] !== undefined && samples[0].time < now - BACKLOG_MS)
    ) {
      samples.shift();
    }
  }

  /** Drops the processes not heard from within the backlog window. */
  private forgetQuiet(now: number): void {
    for (const [instance, samples] of this.backlog) {
      const last = samples[samples.length - 1];
      if (!last || last.time < now - BACKLOG_MS) {
        this.backlog.delete(instance);
      }
    }
  }

  /** Pings every client; one that has not answered the previous ping is gone and its socket destroyed. */
  private heartbeat(): void {
    for (const set of this.clients.values()) {
      for (const client of set) {
        if (!client.alive) {
          this.o.metrics.wsClosed.inc({ reason: 'heartbeat' });
          client.socket.terminate();
          continue;
        }
        client.alive = false;
        client.socket.ping();
      }
    }
    this.forgetQuiet(Date.now());
  }

  /**
   * Closes every client with 1001 (going away) and stops listening to the bus; a client that has not
   * finished the closing handshake within `graceMs` is cut off, so shutdown never waits on a peer.
   */
  async close(graceMs = 1_000): Promise<void> {
    clearInterval(this.pinger);
    this.unwatch();
    const all = [...this.clients.values()].flatMap((set) => [...set]);
    const closed = all.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.socket.once('close', () => {
            resolve();
          });
          c.socket.close(WS_CLOSE_CODES.goingAway, 'server shutting down');
        }),
    );
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all(closed), grace]);
    for (const c of all) {
      c.socket.terminate();
    }
    await this.subscription.close();
  }
}
