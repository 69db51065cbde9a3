// The forecast log's writer: serves are counted in memory on the request path and written in one upsert every ~100 ms.
import type { ForecastLog, ForecastServes, ServedForecast, ServedSink } from '../core/index.js';

export interface ForecastRecorderOptions {
  /** Time between writes while serves are waiting (STOCKOPS_FORECAST_LOG_FLUSH_MS). @defaultValue 100 */
  flushMs?: number;
  /** Distinct forecasts waiting that start a write before the timer. @defaultValue 1000 */
  flushRows?: number;
  /**
   * Distinct forecasts held while the store does not answer (STOCKOPS_FORECAST_LOG_BUFFER). A serve of a forecast
   * already held only adds to its count; a serve of a new one past the bound is dropped and counted.
   * @defaultValue 10000
   */
  capacity?: number;
  /** Longest wait between writes after failures (each failure doubles the wait). @defaultValue 5000 */
  maxBackoffMs?: number;
  /** Serves dropped because the buffer was full (the metric stockops_forecast_log_dropped_total). */
  onDropped?: (serves: number) => void;
  /** A write failed (first failure of an outage) or succeeded again (recovered). */
  onStoreProblem?: (
    event: 'failing' | 'recovered',
    details: { error?: unknown; buffered: number; dropped: number },
  ) => void;
  /** A write succeeded: distinct forecasts written and the seconds it took. */
  onWritten?: (rows: number, seconds: number) => void;
}

const keyOf = (f: ServedForecast | ForecastServes['forecast']) =>
  `${f.ticker}\u0000${f.horizon}\u0000${f.asOf}\u0000${f.model.name}\u0000${f.model.version}`;

/**
 * A ServedSink that never waits for the store: serves of one forecast are summed in a bounded map and written
 * in batches (one multi-row upsert each). When the store fails, the map is kept (up to its bound) and written
 * once it answers again; what had to be dropped is counted and reported, never silently lost.
 */
export class ForecastRecorder implements ServedSink {
  private pending = new Map<string, ForecastServes>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private failures = 0;
  private droppedDuringOutage = 0;
  private closed = false;
  private readonly flushMs: number;
  private readonly flushRows: number;
  private readonly capacity: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly log: ForecastLog,
    private readonly options: ForecastRecorderOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 100;
    this.flushRows = options.flushRows ?? 1000;
    this.capacity = options.capacity ?? 10_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
  }

  served(f: ServedForecast): void {
    const key = keyOf(f);
    const held = this.pending.get(key);
    if (held) {
      held.count++;
      held.lastServedAt = Math.max(held.lastServedAt, f.servedAt);
      held.firstServedAt = Math.min(held.firstServedAt, f.servedAt);
      return;
    }
    if (this.pending.size >= this.capacity) {
      this.drop(1);
      return;
    }
    const { servedAt, via: _via, ...forecast } = f;
    this.pending.set(key, { forecast, count: 1, firstServedAt: servedAt, lastServedAt: servedAt });
    if (this.pending.size >= this.flushRows && this.failures === 0) {
      void this.flush();
    } else {
      this.schedule();
    }
  }

  /** Distinct forecasts waiting to be written. */
  buffered(): number {
    return this.pending.size;
  }

  private drop(serves: number): void {
    this.droppedDuringOutage += serves;
    this.options.onDropped?.(serves);
  }

  private schedule(): void {
    if (this.timer !== null || this.closed) {
      return;
    }
    const wait =
      this.failures === 0
        ? this.flushMs
        : Math.min(this.maxBackoffMs, this.flushMs * 2 ** Math.min(this.failures, 16));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, wait);
    // A pending write never keeps a process alive by itself: close() writes what is left.
    this.timer.unref();
  }

  /** Writes what is waiting (after the write in progress, if any); resolves once it is stored or kept back. */
  async flush(): Promise<void> {
    while (this.writing) {
      await this.writing;
    }
    if (this.pending.size === 0) {
      return;
    }
    const batch = this.pending;
    this.pending = new Map();
    this.writing = this.write(batch);
    try {
      await this.writing;
    } finally {
      this.writing = null;
    }
    if (this.pending.size > 0) {
      this.schedule();
    }
  }

  private async write(batch: Map<string, ForecastServes>): Promise<void> {
    const started = performance.now();
    try {
      await this.log.record([...batch.values()]);
    } catch (error) {
      this.failures++;
      this.restore(batch);
      if (this.failures === 1) {
        this.options.onStoreProblem?.('failing', {
          error,
          buffered: this.pending.size,
          dropped: this.droppedDuringOutage,
        });
      }
      return;
    }
    this.options.onWritten?.(batch.size, (performance.now() - started) / 1000);
    if (this.failures > 0) {
      this.options.onStoreProblem?.('recovered', {
        buffered: this.pending.size,
        dropped: this.droppedDuringOutage,
      });
      this.failures = 0;
      this.droppedDuringOutage = 0;
    }
  }

  /** Puts a failed batch back in front of what arrived meanwhile, within the bound. */
  private restore(batch: Map<string, ForecastServes>): void {
    const newer = this.pending;
    this.pending = batch;
    for (const [key, e] of newer) {
      const held = this.pending.get(key);
      if (held) {
        held.count += e.count;
        held.firstServedAt = Math.min(held.firstServedAt, e.firstServedAt);
        held.lastServedAt = Math.max(held.lastServedAt, e.lastServedAt);
      } else if (this.pending.size < this.capacity) {
        this.pending.set(key, e);
      } else {
        this.drop(e.count);
      }
    }
  }

  /**
   * Writes what is left, trying until `timeoutMs` has passed; what still could not be written is counted as
   * dropped. Called on drain.
   */
  async close(timeoutMs = 5000): Promise<void> {
    this.closed = true;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.flush();
      if (this.pending.size === 0 || Date.now() >= deadline) {
        break;
      }
      await new Promise((r) => setTimeout(r, Math.min(200, Math.max(0, deadline - Date.now()))));
    }
    let lost = 0;
    for (const e of this.pending.values()) {
      lost += e.count;
    }
    if (lost > 0) {
      this.drop(lost);
      this.pending.clear();
    }
  }
}

/** One sink that hands each served forecast to several (the forecast log, the event bus...). */
export function fanOutServed(sinks: readonly ServedSink[]): ServedSink {
  if (sinks.length === 1 && sinks[0]) {
    return sinks[0];
  }
  return {
    served: (f) => {
      for (const s of sinks) {
        s.served(f);
      }
    },
  };
}
