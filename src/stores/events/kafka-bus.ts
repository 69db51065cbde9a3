// The event bus on Apache Kafka (@platformatic/kafka): one topic per channel, created at start; publishing through a
// bounded buffer in batches; a consumer group per process for fan-out and named groups for work done once.
import {
  Admin,
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringDeserializers,
  stringSerializers,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import { randomBytes } from 'node:crypto';
import {
  CHANNEL_OF,
  EVENT_CHANNELS,
  readBusEvent,
  type BusEvent,
  type EventBus,
  type EventBusStats,
  type EventChannel,
  type EventSubscription,
  type StockopsEvent,
} from '../../core/index.js';
import {
  admit,
  DEFAULT_MAX_BUFFERED,
  describeError,
  DropCounter,
  runShared,
  silentLogger,
  Subscribers,
  type BusLogger,
  type BusOptions,
} from './bus-support.js';

export interface KafkaBusOptions extends BusOptions {
  /** `host:port` of one or more brokers (KAFKA_BROKERS). */
  brokers: readonly string[];
  /** Topics are `<prefix>.<channel>` (KAFKA_TOPIC_PREFIX). @defaultValue 'stockops' */
  topicPrefix?: string;
  /** Events per produce request. @defaultValue 500 */
  batchSize?: number;
  /** How long a lone event waits for company before its batch is sent. @defaultValue 5 */
  lingerMs?: number;
  /** Serialised events larger than this are dropped (the broker's message.max.bytes is about 1 MB). @defaultValue 1000000 */
  maxEventBytes?: number;
  /** How long close() waits for buffered events to be sent. @defaultValue 5000 */
  closeTimeoutMs?: number;
}

type StringMessage = Message<string, string, string, string>;
type StringStream = MessagesStream<string, string, string, string>;

/** Waits (retries, time limits) never keep the process alive on their own. */
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Closes a consumer and its streams; never rejects (the overloads of close(force) type the promise form as void). */
const closeConsumer = (c: Consumer<string, string, string, string>) =>
  new Promise<void>((resolve) => {
    c.close(true, () => {
      resolve();
    });
  });

/** Client settings that make a dead broker fail fast, so serving never waits on it. */
const clientTimeouts = {
  connectTimeout: 2_000,
  requestTimeout: 5_000,
  retries: 2,
  retryDelay: 250,
} as const;

interface LoopOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topics: string[];
  /** Fan-out: autocommit on a timer; shared: commit each message after its handler. */
  shared: boolean;
  handle: (event: BusEvent) => Promise<void> | void;
  log: BusLogger;
}

/**
 * One consumer group member that survives the broker: when its stream fails (the broker went away, a listing of
 * offsets timed out under load), the consumer is closed and made again with backoff and resumes where this process
 * stopped. It keeps, per partition, the offset of the next message it has not delivered yet and starts the new
 * stream there (MANUAL mode), so nothing published meanwhile is skipped; a group's committed offsets alone would
 * skip what came before the first commit, and the stream's own position runs ahead of delivery (it counts what
 * was fetched into its buffer). A shared group resumes from its commits once it has made one.
 */
class ConsumerLoop implements EventSubscription {
  readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;
  private consumer: Consumer<string, string, string, string> | null = null;
  private stream: StringStream | null = null;
  private closed = false;
  private readonly running: Promise<void>;
  /** Read through a method: close() flips it while the loop awaits, which flow analysis cannot see. */
  private stopping(): boolean {
    return this.closed;
  }
  private rejected = 0;
  private lastRejectLog = 0;
  /** Next offset to deliver, by `topic:partition`: where a new stream starts after a failure. */
  private readonly positions = new Map<string, bigint>();
  private committed = false;

  constructor(private readonly o: LoopOptions) {
    this.ready = new Promise((r) => (this.markReady = r));
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    let backoff = 500;
    while (!this.closed) {
      const consumer = new Consumer({
        clientId: this.o.clientId,
        groupId: this.o.groupId,
        bootstrapBrokers: this.o.brokers,
        deserializers: stringDeserializers,
        ...clientTimeouts,
        // Heartbeats often enough that a joining member's rebalance settles in about a second.
        sessionTimeout: 10_000,
        heartbeatInterval: 500,
        rebalanceTimeout: 10_000,
        maxWaitTime: 500,
      });
      this.consumer = consumer;
      try {
        const stream = await consumer.consume({
          topics: this.o.topics,
          ...this.startAt(),
          autocommit: false,
        });
        this.stream = stream;
        if (this.stopping()) {
          break;
        }
        // Ready once the stream knows where each partition starts: events published from then on arrive.
        stream.once('offsets', () => {
          for (const [partition, offset] of stream.offsetsToFetch) {
            if (!this.positions.has(partition)) {
              this.positions.set(partition, offset);
            }
          }
          this.markReady();
          backoff = 500;
        });
        await this.pump(stream);
      } catch (e) {
        if (!this.stopping()) {
          this.o.log.warn(
            { group: this.o.groupId, error: describeError(e), retryInMs: backoff },
            'kafka consumer stopped; reconnecting',
          );
        }
      } finally {
        this.stream = null;
        this.consumer = null;
        await closeConsumer(consumer);
      }
      if (!this.stopping()) {
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  /** The first stream starts at the latest offsets (a shared group at its commits); a new one where the last left off. */
  private startAt() {
    if (this.o.shared && (this.committed || this.positions.size === 0)) {
      return {
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: MessagesStreamFallbackModes.LATEST,
      };
    }
    if (this.positions.size === 0) {
      return { mode: MessagesStreamModes.LATEST };
    }
    return {
      mode: MessagesStreamModes.MANUAL,
      offsets: [...this.positions].map(([key, offset]) => {
        const cut = key.lastIndexOf(':');
        return { topic: key.slice(0, cut), partition: Number(key.slice(cut + 1)), offset };
      }),
    };
  }

  private delivered(message: StringMessage): void {
    this.positions.set(`${message.topic}:${message.partition}`, message.offset + 1n);
  }

  /** Resolves when the stream ends, rejects when it fails. */
  private async pump(stream: StringStream): Promise<void> {
    if (this.o.shared) {
      // One message at a time: the next is not read before the handler (and its commit) finished.
      for await (const message of stream as AsyncIterable<StringMessage>) {
        const event = this.read(message);
        if (event) {
          await this.o.handle(event);
        }
        await message.commit();
        this.committed = true;
        this.delivered(message);
        if (this.stopping()) {
          return;
        }
      }
      return;
    }
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (message: StringMessage) => {
        const event = this.read(message);
        this.delivered(message);
        if (event) {
          void this.o.handle(event);
        }
      });
      stream.once('error', reject);
      stream.once('close', resolve);
    });
  }

  private read(message: StringMessage): BusEvent | null {
    let parsed: unknown;
    let reason: string;
    try {
      parsed = JSON.parse(message.value);
      const r = readBusEvent(parsed);
      if (r.ok) {
        return r.event;
      }
      reason = r.reason;
    } catch (e) {
      reason = `not JSON: ${describeError(e)}`;
    }
    // Another version or another producer on our topics: skipped, counted, logged at most every 10 s.
    this.rejected++;
    if (Date.now() - this.lastRejectLog > 10_000) {
      this.lastRejectLog = Date.now();
      this.o.log.warn(
        { topic: message.topic, offset: String(message.offset), reason, rejected: this.rejected },
        'skipped a message this build cannot read',
      );
    }
    return null;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stream?.close().catch(() => undefined);
    if (this.consumer) {
      await closeConsumer(this.consumer);
    }
    await this.running;
  }
}

export class KafkaBus implements EventBus {
  readonly kind = 'kafka' as const;
  private readonly brokers: string[];
  private readonly prefix: string;
  private readonly log: BusLogger;
  private readonly topics: Readonly<Record<EventChannel, string>>;
  private readonly producer: Producer<string, string, string, string>;
  private readonly admin: Admin;
  private readonly drops: DropCounter;
  private readonly subscribers: Subscribers;
  private readonly maxBuffered: number;
  private readonly batchSize: number;
  private readonly lingerMs: number;
  private readonly maxEventBytes: number;
  private buffer: BusEvent[] = [];
  private sending: Promise<void> | null = null;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private published = 0;
  private closed = false;
  private fanout: ConsumerLoop | null = null;
  private readonly shared = new Set<ConsumerLoop>();
  private topicsReady: Promise<void> = Promise.resolve();
  /** This process's own consumer group: fan-out means every process reads every event. */
  private readonly fanoutGroup: string;

  private constructor(private readonly options: KafkaBusOptions) {
    this.brokers = [...options.brokers];
    this.log = options.log ?? silentLogger;
    this.prefix = options.topicPrefix ?? 'stockops';
    this.topics = Object.fromEntries(
      EVENT_CHANNELS.map((c) => [c, `${this.prefix}.${c}`]),
    ) as Record<EventChannel, string>;
    this.maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED;
    this.batchSize = options.batchSize ?? 500;
    this.lingerMs = options.lingerMs ?? 5;
    this.maxEventBytes = options.maxEventBytes ?? 1_000_000;
    this.drops = new DropCounter(this.log, options.onDropped);
    this.subscribers = new Subscribers(this.log);
    this.fanoutGroup = `${this.prefix}.fanout.${options.instanceId}.${randomBytes(4).toString('hex')}`;
    const clientId = `stockops-${options.instanceId}`;
    this.producer = new Producer({
      clientId,
      bootstrapBrokers: this.brokers,
      serializers: stringSerializers,
      acks: ProduceAcks.LEADER,
      ...clientTimeouts,
    });
    this.admin = new Admin({ clientId, bootstrapBrokers: this.brokers, ...clientTimeouts });
  }

  /**
   * Connects and creates the missing topics (waiting up to `waitMs`); a broker that does not answer in time
   * does not stop start-up: topics are created in the background once it does, and events are dropped
   * (counted) until then.
   */
  static async open(options: KafkaBusOptions, waitMs = 10_000): Promise<KafkaBus> {
    const bus = new KafkaBus(options);
    bus.topicsReady = bus.createTopicsUntilDone();
    const first = await Promise.race([
      bus.topicsReady.then(() => true),
      sleep(waitMs).then(() => false),
    ]);
    if (first) {
      bus.log.info(
        { brokers: bus.brokers, topics: Object.values(bus.topics) },
        'event bus on Kafka',
      );
    }
    return bus;
  }

  /** The topic names by channel. */
  topicNames(): Readonly<Record<EventChannel, string>> {
    return this.topics;
  }

  private async createTopicsUntilDone(): Promise<void> {
    let backoff = 1_000;
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await this.createMissingTopics();
        return;
      } catch (e) {
        if (attempt === 1) {
          this.log.warn(
            { brokers: this.brokers, error: describeError(e) },
            'Kafka does not answer; events are dropped (counted) until it does, and topics are created then',
          );
        }
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  private async createMissingTopics(): Promise<void> {
    const wanted = Object.values(this.topics);
    const existing = new Set(await this.admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length === 0) {
      return;
    }
    try {
      // Partitions and replication from the broker's defaults (num.partitions, default.replication.factor).
      await this.admin.createTopics({ topics: missing });
      this.log.info({ topics: missing }, 'created Kafka topics');
    } catch (e) {
      // Another replica starting at the same moment may have created them first.
      const now = new Set(await this.admin.listTopics());
      if (!missing.every((t) => now.has(t))) {
        throw e;
      }
    }
  }

  publish(event: StockopsEvent): void {
    if (
      admit(this.buffer, event, this.closed, this.maxBuffered, this.drops, this.options.instanceId)
    ) {
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.sending || this.timer) {
      return;
    }
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.send();
      },
      this.buffer.length >= this.batchSize ? 0 : this.lingerMs,
    );
  }

  /** Sends one batch; one produce request at a time keeps the order per key. */
  private send(): void {
    if (this.sending || this.buffer.length === 0) {
      return;
    }
    const batch = this.buffer.splice(0, this.batchSize);
    this.inFlight = batch.length;
    this.sending = this.sendBatch(batch).finally(() => {
      this.sending = null;
      this.inFlight = 0;
      if (this.buffer.length > 0) {
        this.schedule();
      }
    });
  }

  private async sendBatch(batch: readonly BusEvent[]): Promise<void> {
    const messages = [];
    let tooLarge = 0;
    for (const event of batch) {
      const value = JSON.stringify(event);
      if (Buffer.byteLength(value) > this.maxEventBytes) {
        tooLarge++;
        continue;
      }
      messages.push({
        topic: this.topics[CHANNEL_OF[event.type]],
        key: event.key,
        value,
        headers: { type: event.type, 'schema-version': String(event.schemaVersion) },
      });
    }
    this.drops.add(tooLarge, 'too-large');
    if (messages.length === 0) {
      return;
    }
    try {
      await this.producer.send({ messages });
      this.published += messages.length;
    } catch (e) {
      this.drops.add(messages.length, 'send-failed', e);
    }
  }

  subscribe(
    channels: readonly EventChannel[],
    handler: (event: BusEvent) => void,
  ): EventSubscription {
    const remove = this.subscribers.add(channels, handler);
    // One consumer per process reads every channel for all its subscribers, in a group of its own.
    this.fanout ??= new ConsumerLoop({
      brokers: this.brokers,
      clientId: `stockops-${this.options.instanceId}-fanout`,
      groupId: this.fanoutGroup,
      topics: Object.values(this.topics),
      shared: false,
      handle: (event) => {
        this.subscribers.deliver(event);
      },
      log: this.log,
    });
    const loop = this.fanout;
    return {
      ready: loop.ready,
      close: () => {
        remove();
        return Promise.resolve();
      },
    };
  }

  subscribeShared(
    group: string,
    channels: readonly EventChannel[],
    handler: (event: BusEvent) => Promise<void>,
  ): EventSubscription {
    const loop = new ConsumerLoop({
      brokers: this.brokers,
      clientId: `stockops-${this.options.instanceId}-${group}`,
      groupId: `${this.prefix}.${group}`,
      topics: channels.map((c) => this.topics[c]),
      shared: true,
      handle: (event) => runShared(handler, event, group, this.log),
      log: this.log,
    });
    this.shared.add(loop);
    return {
      ready: loop.ready,
      close: async () => {
        this.shared.delete(loop);
        await loop.close();
      },
    };
  }

  async flush(): Promise<void> {
    while (this.buffer.length > 0 || this.sending) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      this.send();
      await this.sending;
    }
  }

  stats(): EventBusStats {
    return {
      published: this.published,
      dropped: this.drops.total,
      buffered: this.buffer.length + this.inFlight,
    };
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    const timeout = this.options.closeTimeoutMs ?? 5_000;
    await Promise.race([this.flush(), sleep(timeout)]);
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.drops.add(this.buffer.splice(0).length, 'closed');
    const fanout = this.fanout;
    await Promise.all([fanout?.close(), ...[...this.shared].map((l) => l.close())]);
    this.shared.clear();
    this.subscribers.clear();
    if (fanout) {
      // A process's own group is never used again: removed rather than left to expire with its offsets.
      await Promise.race([
        this.admin.deleteGroups({ groups: [this.fanoutGroup] }).catch(() => undefined),
        sleep(timeout),
      ]);
    }
    await Promise.race([this.producer.close(), sleep(timeout)]).catch(() => undefined);
    await this.admin.close().catch(() => undefined);
    this.drops.stop();
  }
}
