// Runs the CPU part of training (fitAndEvaluate) on a pool of worker threads, so the event loop stays free.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  errorFromJSON,
  getFeatureSet,
  modelFromJSON,
  type Bar,
  type BuiltData,
  type ConformalState,
  type ErrorJson,
  type ModelJson,
  type TuningTrial,
  type WalkForwardReport,
} from '../core/index.js';
import {
  fitAndEvaluate,
  scoreModel,
  type FitOutcome,
  type FitSettings,
  type ScoredModel,
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

export type ScoreSettings = Omit<FitSettings, 'onFold'>;

/** The task posted to a fit thread: a training fit, or one model's scores for a comparison. */
export interface FitRequest {
  task: 'fit' | 'score';
  symbol: string;
  bars: readonly Bar[];
  settings: Omit<FitSettings, 'onFold'>;
  progress: boolean;
}

/** What a fit thread posts back: fold progress, then either the outcome or the error. */
export type FitReply =
  | { type: 'fold'; done: number; total: number }
  | { type: 'error'; error: ErrorJson }
  | { type: 'scored'; scored: ScoredModel }
  | {
      type: 'done';
      /** `id@version`: the feature set holds functions, so it is looked up again on this side. */
      featureSet: string;
      built: BuiltData;
      report: WalkForwardReport;
      modelJson: ModelJson;
      conformal: ConformalState;
      /** What the final fit learned and tried; toJSON keeps only what serving needs (no tuning trials). */
      final: {
        params: Record<string, number | string>;
        preprocessing: { dropped: string[]; imputed: string[] };
        trials: readonly TuningTrial[];
      };
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
  ? new URL('../../dist/pipelines/fit-worker.js', import.meta.url)
  : new URL('./fit-worker.js', import.meta.url);

/** Rebuilds the outcome from a worker's reply; the final model comes back from its own JSON. */
function outcomeOf(r: Extract<FitReply, { type: 'done' }>): FitOutcome {
  const final = modelFromJSON(r.modelJson);
  final.params = () => r.final.params;
  final.preprocessing = () => r.final.preprocessing;
  final.tuningTrials = () => r.final.trials;
  return {
    featureSet: getFeatureSet(r.featureSet),
    built: r.built,
    report: r.report,
    final,
    modelJson: r.modelJson,
    conformal: r.conformal,
  };
}

interface Job {
  request: FitRequest;
  options: FitCallOptions;
  /** Settles with what the thread replied (the outcome or the scores), rebuilt on this side. */
  resolve: (reply: Extract<FitReply, { type: 'done' | 'scored' }>) => void;
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

  constructor(readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new Error(`FitPool needs at least one thread, got ${threads}`);
    }
  }

  fit(
    symbol: string,
    bars: readonly Bar[],
    settings: Omit<FitSettings, 'onFold'>,
    options: FitCallOptions = {},
  ): Promise<FitOutcome> {
    return this.submit({ task: 'fit', symbol, bars, settings, progress: false }, options).then(
      (reply) => {
        if (reply.type !== 'done') {
          throw new Error(`fit thread replied ${reply.type} to a fit`);
        }
        return outcomeOf(reply);
      },
    );
  }

  score(
    symbol: string,
    bars: readonly Bar[],
    settings: ScoreSettings,
    options: FitCallOptions = {},
  ): Promise<ScoredModel> {
    return this.submit({ task: 'score', symbol, bars, settings, progress: false }, options).then(
      (reply) => {
        if (reply.type !== 'scored') {
          throw new Error(`fit thread replied ${reply.type} to a comparison`);
        }
        return reply.scored;
      },
    );
  }

  private submit(
    request: FitRequest,
    options: FitCallOptions,
  ): Promise<Extract<FitReply, { type: 'done' | 'scored' }>> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        throw new Error('FitPool is closed');
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

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) {
      job.reject(new Error('FitPool closed before the fit started'));
    }
    const slots = [...this.slots];
    this.slots.clear();
    await Promise.all(
      slots.map(async (s) => {
        s.job?.reject(new Error('FitPool closed during the fit'));
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
        job.resolve(reply);
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
    void slot.worker.terminate();
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
