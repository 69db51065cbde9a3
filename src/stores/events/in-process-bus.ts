// The embedded default event bus: events delivered inside this process, off the publisher's call stack, through a
// bounded buffer. Buses on one hub stand for processes on one broker (tests; one per process otherwise).
import {
  CHANNEL_OF,
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
  DropCounter,
  runShared,
  silentLogger,
  Subscribers,
  type BusLogger,
  type BusOptions,
} from './bus-support.js';

interface SharedMember {
  bus: InProcessBus;
  channels: ReadonlySet<EventChannel>;
  handler: (event: BusEvent) => Promise<void>;
  queue: BusEvent[];
  running: boolean;
  closed: boolean;
}

/** What the buses of one "cluster" share: each other, and the members of each shared group. */
export class InProcessHub {
  readonly buses = new Set<InProcessBus>();
  readonly groups = new Map<string, SharedMember[]>();
  private readonly turn = new Map<string, number>();

  /** The member of `group` that takes the event: round robin over those on its channel. */
  pick(group: string, channel: EventChannel): SharedMember | undefined {
    // Counted, not filtered into a new array: this runs for every event (each served prediction) and group.
    const members = this.groups.get(group) ?? [];
    let on = 0;
    for (const m of members) {
      if (m.channels.has(channel)) {
        on++;
      }
    }
    if (on === 0) {
      return undefined;
    }
    const n = this.turn.get(group) ?? 0;
    this.turn.set(group, n + 1);
    let k = n % on;
    for (const m of members) {
      if (m.channels.has(channel) && k-- === 0) {
        return m;
      }
    }
    return undefined;
  }
}

export interface InProcessBusOptions extends BusOptions {
  /** Buses sharing a hub see each other's events; each bus has its own hub unless given one. */
  hub?: InProcessHub;
}

const done: Promise<void> = Promise.resolve();

export class InProcessBus implements EventBus {
  readonly kind = 'in-process' as const;
  private readonly hub: InProcessHub;
  private readonly log: BusLogger;
  private readonly maxBuffered: number;
  private readonly drops: DropCounter;
  readonly subscribers: Subscribers;
  private buffer: BusEvent[] = [];
  private draining = false;
  private idle: { promise: Promise<void>; resolve: () => void } | null = null;
  private published = 0;
  private closed = false;

  constructor(private readonly options: InProcessBusOptions) {
    this.hub = options.hub ?? new InProcessHub();
    this.hub.buses.add(this);
    this.log = options.log ?? silentLogger;
    this.maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED;
    this.drops = new DropCounter(this.log, options.onDropped);
    this.subscribers = new Subscribers(this.log);
  }

  publish(event: StockopsEvent): void {
    const buffered = admit(
      this.buffer,
      event,
      this.closed,
      this.maxBuffered,
      this.drops,
      this.options.instanceId,
    );
    if (buffered && !this.draining) {
      this.draining = true;
      setImmediate(() => {
        this.drain();
      });
    }
  }

  /** Delivers everything buffered; events published meanwhile wait for the next turn of the event loop. */
  private drain(): void {
    const batch = this.buffer;
    this.buffer = [];
    for (const event of batch) {
      this.dispatch(event);
    }
    this.published += batch.length;
    if (this.buffer.length > 0) {
      setImmediate(() => {
        this.drain();
      });
      return;
    }
    this.draining = false;
    this.idle?.resolve();
    this.idle = null;
  }

  private dispatch(event: BusEvent): void {
    for (const bus of this.hub.buses) {
      bus.subscribers.deliver(event);
    }
    const channel = CHANNEL_OF[event.type];
    for (const group of this.hub.groups.keys()) {
      const member = this.hub.pick(group, channel);
      if (!member) {
        continue;
      }
      if (member.queue.length >= member.bus.maxBuffered) {
        member.bus.drops.add(1, 'buffer-full');
        continue;
      }
      member.queue.push(event);
      void member.bus.work(member, group);
    }
  }

  /** A member's events, one at a time: the next waits for the handler. */
  private async work(member: SharedMember, group: string): Promise<void> {
    if (member.running) {
      return;
    }
    member.running = true;
    try {
      for (let event = member.queue.shift(); event; event = member.queue.shift()) {
        if (member.closed) {
          break;
        }
        await runShared(member.handler, event, group, this.log);
      }
    } finally {
      member.running = false;
    }
  }

  subscribe(
    channels: readonly EventChannel[],
    handler: (event: BusEvent) => void,
  ): EventSubscription {
    const remove = this.subscribers.add(channels, handler);
    return {
      ready: done,
      close: () => {
        remove();
        return done;
      },
    };
  }

  subscribeShared(
    group: string,
    channels: readonly EventChannel[],
    handler: (event: BusEvent) => Promise<void>,
  ): EventSubscription {
    const member: SharedMember = {
      bus: this,
      channels: new Set(channels),
      handler,
      queue: [],
      running: false,
      closed: false,
    };
    const members = this.hub.groups.get(group) ?? [];
    members.push(member);
    this.hub.groups.set(group, members);
    return {
      ready: done,
      close: () => {
        this.leave(group, member);
        return done;
      },
    };
  }

  private leave(group: string, member: SharedMember): void {
    member.closed = true;
    member.queue.length = 0;
    const rest = (this.hub.groups.get(group) ?? []).filter((m) => m !== member);
    if (rest.length === 0) {
      this.hub.groups.delete(group);
    } else {
      this.hub.groups.set(group, rest);
    }
  }

  flush(): Promise<void> {
    if (!this.draining) {
      return done;
    }
    if (!this.idle) {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      this.idle = { promise, resolve };
    }
    return this.idle.promise;
  }

  stats(): EventBusStats {
    return { published: this.published, dropped: this.drops.total, buffered: this.buffer.length };
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    await this.flush();
    this.closed = true;
    for (const [group, members] of [...this.hub.groups]) {
      for (const m of members.filter((x) => x.bus === this)) {
        this.leave(group, m);
      }
    }
    this.subscribers.clear();
    this.hub.buses.delete(this);
    this.drops.stop();
  }
}
