// Runs the CPU part of training (fitAndEvaluate) on a pool of worker threads, so the event loop stays free.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  ConfigError,
  errorFromJSON,
  modelFromJSON,
  ResourceClosedError,
  type Bar,
  type BuiltData,
  type ErrorJson,
  type FoldFit,
  type ModelJson,
  type TuningTrial,
} from '../core/index.js';
import {
  fitAndEvaluate,
  outcomeOfShares,
  scoredOfShares,
  scoreModel,
  type FitOutcome,
  type FitSettings,
  type FitShare,
  type ScoredModel,
  type ScoreInput,
  type ShareResult,
} from './model-fit.js';

/** What a fit needs besides its settings; neither crosses to the worker thread. */
export interface FitCallOptions {
  /** Aborting it stops the fit (a worker thread is terminated) and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Progress after each walk-forward fold. */
  onFold?: (done: number, total: number) => void;
}

/** Runs fitAndEvaluate somewhere: on the calling thread or on a worker thread. */
export interface Fitter {
  /** Worker threads fitting at once; 0 when fits run on the calling thread. */
  readonly threads: number;
  fit(
    symbol: string,
    bars: readonly Bar[],
    settings: Omit<FitSettings, 'onFold'>,
    options?: FitCallOptions,
  ): Promise<FitOutcome>;
  /** One model's walk-forward scores for a comparison (`scoreModel`), without a final fit. */
  score(
    symbol: string,
    bars: readonly Bar[],
    settings: ScoreSettings,
    options?: FitCallOptions,
  ): Promise<ScoredModel>;
  /** Stops the threads; fits still running reject. */
  close(): Promise<void>;
}

export type ScoreSettings = ScoreInput;

/** The task posted to a fit thread: its share of a training fit, or of one model's scores for a comparison. */
export interface FitRequest {
  task: 'fit' | 'score';
  symbol: string;
  bars: readonly Bar[];
  settings: Omit<FitSettings, 'onFold'>;
  share: FitShare;
  progress: boolean;
}

/** The final fit as it crosses threads: toJSON keeps only what serving needs (no tuning trials). */
export interface FinalFitJson {
  modelJson: ModelJson;
  params: Record<string, number | string>;
  preprocessing: { dropped: string[]; imputed: string[] };
  trials: readonly TuningTrial[];
}

/** What a fit thread posts back: fold progress, then either its share's results or the error. */
export type FitReply =
  | { type: 'fold'; done: number; total: number }
  | { type: 'error'; error: ErrorJson }
  | {
      type: 'share';
      built: BuiltData | null;
      folds: FoldFit[];
      final: FinalFitJson | null;
      startedAt: number;
      endedAt: number;
      threadId: number;
    };

const abortReason = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Error('fit aborted');

/** Fits on the calling thread (blocking its event loop for the whole fit); the signal is checked once, before. */
export const inThreadFitter: Fitter = {
  threads: 0,
  fit(symbol, bars, settings, options = {}) {
    return new Promise((resolve) => {
      if (options.signal?.aborted) {
        throw abortReason(options.signal);
      }
      resolve(
        fitAndEvaluate(symbol, bars, {
          ...settings,
          ...(options.onFold ? { onFold: options.onFold } : {}),
        }),
      );
    });
  },
  score(symbol, bars, settings, options = {}) {
    return new Promise((resolve) => {
      if (options.signal?.aborted) {
        throw abortReason(options.signal);
      }
      resolve(scoreModel(symbol, bars, settings, options.onFold));
    });
  },
  close: () => Promise.resolve(),
};

// The thread runs compiled JS: the sibling from dist/, or from the .ts source (vitest) <repo>/dist's build of it.
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/services/fit-worker.js', import.meta.url)
  : new URL('./fit-worker.js', import.meta.url);

/** Rebuilds a share from a worker's reply; the final model comes back from its own JSON. */
function shareOf(r: Extract<FitReply, { type: 'share' }>): ShareResult {
  let final = null;
  if (r.final) {
    const f = r.final;
    final = modelFromJSON(f.modelJson);
    final.params = () => f.params;
    final.preprocessing = () => f.preprocessing;
    final.tuningTrials = () => f.trials;
  }
  return {
    built: r.built,
    folds: r.folds,
    final,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    threadId: r.threadId,
  };
}

interface Job {
  request: FitRequest;
  options: FitCallOptions;
  /** Settles with the share the thread replied, rebuilt on this side. */
  resolve: (share: ShareResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

/**
 * A fixed number of worker threads, started when first needed and kept for the next fit; each runs one fit
 * at a time and the rest wait in order. A thread whose fit is aborted, or that dies, is replaced.
 */
export class FitPool implements Fitter {
  private readonly slots = new Set<Slot>();
  private readonly waiting: Job[] = [];
  private closed = false;
  /** Threads terminated because their fit was aborted or they failed, by threadId, once exited. */
  private readonly retired: number[] = [];
  private readonly retiring = new Set<Promise<void>>();

  constructor(readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new ConfigError(
        `FitPool expected a whole number of threads >= 1 (STOCKOPS_FIT_THREADS); found ${threads}`,
      );
    }
  }

  fit(
    symbol: string,
    bars: readonly Bar[],
    settings: Omit<FitSettings, 'onFold'>,
    options: FitCallOptions = {},
  ): Promise<FitOutcome> {
    return this.shares({ task: 'fit', symbol, bars, settings }, options).then((shares) =>
      outcomeOfShares(symbol, settings, shares),
    );
  }

  score(
    symbol: string,
    bars: readonly Bar[],
    settings: ScoreSettings,
    options: FitCallOptions = {},
  ): Promise<ScoredModel> {
    return this.shares({ task: 'score', symbol, bars, settings }, options).then((shares) =>
      scoredOfShares(symbol, settings, shares),
    );
  }

  /**
   * One share per thread: a ticker's walk-forward folds and final fit spread over every thread (the
   * results are the same as on one). With several fits at once, their shares queue in order.
   */
  private shares(
    request: Omit<FitRequest, 'share' | 'progress'>,
    options: FitCallOptions,
  ): Promise<ShareResult[]> {
    const of = this.threads;
    const onFold = options.onFold;
    const done = new Array<number>(of).fill(0);
    return Promise.all(
      Array.from({ length: of }, (_, index) =>
        this.submit(
          { ...request, share: { index, of }, progress: false },
          {
            ...(options.signal ? { signal: options.signal } : {}),
            ...(onFold
              ? {
                  onFold: (d: number, total: number) => {
                    done[index] = d;
                    onFold(
                      done.reduce((a, b) => a + b, 0),
                      total,
                    );
                  },
                }
              : {}),
          },
        ),
      ),
    );
  }

  private submit(request: FitRequest, options: FitCallOptions): Promise<ShareResult> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        throw new ResourceClosedError('FitPool', 'closed before this fit was submitted');
      }
      if (options.signal?.aborted) {
        throw abortReason(options.signal);
      }
      const onAbort = () => {
        this.abort(job);
      };
      const settle = () => options.signal?.removeEventListener('abort', onAbort);
      const job: Job = {
        request: { ...request, progress: options.onFold !== undefined },
        options,
        resolve: (reply) => {
          settle();
          resolve(reply);
        },
        reject: (e: Error) => {
          settle();
          reject(e);
        },
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(job);
      this.dispatch();
    });
  }

  /** Threads fitting right now. */
  get busy(): number {
    return [...this.slots].filter((s) => s.job !== null).length;
  }

  /** The pool's threads now (idle or fitting), by `threadId`. */
  threadIds(): number[] {
    return [...this.slots].map((s) => s.worker.threadId);
  }

  /**
   * Threads the pool has terminated because their fit was aborted or they failed, by `threadId`;
   * resolves once every one of them has exited.
   */
  async retiredThreads(): Promise<number[]> {
    await Promise.all(this.retiring);
    return [...this.retired];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) {
      job.reject(new ResourceClosedError('FitPool', 'closed before the fit started'));
    }
    const slots = [...this.slots];
    this.slots.clear();
    await Promise.all(
      slots.map(async (s) => {
        s.job?.reject(new ResourceClosedError('FitPool', 'closed during the fit'));
        await s.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = [...this.slots].find((s) => s.job === null);
      if (!slot && this.slots.size < this.threads) {
        slot = this.spawn();
      }
      const job = slot ? this.waiting.shift() : undefined;
      if (!slot || !job) {
        return;
      }
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage(job.request);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL);
    const slot: Slot = { worker, job: null };
    worker.unref();
    worker.on('message', (reply: FitReply) => {
      const job = slot.job;
      if (!job) {
        return;
      }
      if (reply.type === 'fold') {
        job.options.onFold?.(reply.done, reply.total);
        return;
      }
      this.release(slot);
      if (reply.type === 'error') {
        job.reject(errorFromJSON(reply.error));
      } else {
        job.resolve(shareOf(reply));
      }
    });
    // An uncaught error or an exit mid-fit (out of memory, a script that does not load) fails that fit only.
    worker.on('error', (e: Error & { code?: unknown }) => {
      const hint = e.code === 'ERR_MODULE_NOT_FOUND' ? ' (build it: npm run build:server)' : '';
      this.drop(slot, new Error(`fit thread ${WORKER_URL.pathname} failed: ${e.message}${hint}`));
    });
    worker.on('exit', (code) => {
      this.drop(slot, new Error(`fit thread exited with code ${code} during the fit`));
    });
    this.slots.add(slot);
    return slot;
  }

  private release(slot: Slot): void {
    slot.job = null;
    slot.worker.unref();
    this.dispatch();
  }

  private drop(slot: Slot, error: Error): void {
    if (!this.slots.delete(slot)) {
      return;
    }
    const job = slot.job;
    slot.job = null;
    // Read now: a thread that has exited reports -1.
    const id = slot.worker.threadId;
    const exited = slot.worker
      .terminate()
      .catch(() => undefined)
      .then(() => {
        this.retired.push(id);
        this.retiring.delete(exited);
      });
    this.retiring.add(exited);
    job?.reject(error);
    if (!this.closed) {
      this.dispatch();
    }
  }

  private abort(job: Job): void {
    const reason = abortReason(job.options.signal ?? AbortSignal.abort());
    const at = this.waiting.indexOf(job);
    if (at >= 0) {
      this.waiting.splice(at, 1);
      job.reject(reason);
      return;
    }
    const slot = [...this.slots].find((s) => s.job === job);
    if (slot) {
      // A synchronous fit cannot be interrupted from inside: the thread goes, and a fresh one takes its place.
      this.drop(slot, reason);
    }
  }
}

/**
 * `STOCKOPS_FIT_THREADS`: a number of threads, or `0` / `off` to fit on the calling thread.
 * @defaultValue os.availableParallelism()
 */
export function createFitter(threads: number = availableParallelism()): Fitter {
  return threads === 0 ? inThreadFitter : new FitPool(threads);
}
