// Schedules in the embedded default: a timer looks at the stored schedules and starts each due tick once.
import type { FlowStore, ScheduleRecord } from '../core/index.js';
import { nextFire } from './cron.js';
import type { ScheduleDriver } from './flow-engine.js';

/** Starts one flow run for a schedule's tick; the tick time makes the run's idempotency key. */
export type FireSchedule = (schedule: ScheduleRecord, tick: number) => Promise<void>;

export class InProcessScheduler implements ScheduleDriver {
  /** Next tick per schedule id, with the pattern it was computed from (an edit re-plans). */
  private readonly next = new Map<string, { at: number; plan: string }>();
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: FlowStore,
    private readonly fire: FireSchedule,
    private readonly now: () => number = Date.now,
  ) {}

  /** Looks every `everyMs`; a tick fires within that much of its time. */
  start(everyMs = 15_000): void {
    this.timer = setInterval(() => {
      this.checking = this.check().catch(() => undefined);
    }, everyMs);
    this.timer.unref();
    this.checking = this.check().catch(() => undefined);
  }

  sync(schedule: ScheduleRecord): Promise<void> {
    this.plan(schedule);
    return Promise.resolve();
  }

  /** Fires every schedule whose planned tick has come; returns the ticks fired (for tests). */
  async check(): Promise<{ id: string; tick: number }[]> {
    const fired: { id: string; tick: number }[] = [];
    for (const s of await this.store.listSchedules()) {
      const planned = this.plan(s);
      if (planned === null || this.now() < planned) {
        continue;
      }
      await this.fire(s, planned);
      fired.push({ id: s.id, tick: planned });
      this.next.set(s.id, {
        at: nextFire(s.cron, s.timezone, Math.max(planned, this.now())),
        plan: key(s),
      });
    }
    return fired;
  }

  async close(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
    }
    await this.checking;
  }

  private plan(s: ScheduleRecord): number | null {
    if (!s.enabled) {
      this.next.delete(s.id);
      return null;
    }
    const current = this.next.get(s.id);
    if (current?.plan === key(s)) {
      return current.at;
    }
    // Counted from now: ticks missed while nothing ran are not replayed in a burst.
    const at = nextFire(s.cron, s.timezone, this.now());
    this.next.set(s.id, { at, plan: key(s) });
    return at;
  }
}

const key = (s: ScheduleRecord) => `${s.cron}|${s.timezone}`;
