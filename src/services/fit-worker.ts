// Worker-thread body of FitPool (fit-pool.ts, which loads it from dist/): runs its share of a fit (fitShare) for
// each posted request and posts fold progress, then the share (its typed arrays transferred) or the error as plain data.
import { parentPort } from 'node:worker_threads';
import { errorToJSON, InternalError, type Dataset } from '../core/index.js';
import type { FitReply, FitRequest } from './fit-pool.js';
import { fitShare } from './model-fit.js';

const port = parentPort;
if (!port) {
  throw new InternalError(
    'fit-worker.js expected to run as a worker thread of FitPool; found no parent port (loaded on a main thread).',
  );
}

const post = (reply: FitReply, transfer: ArrayBuffer[] = []) => {
  port.postMessage(reply, transfer);
};

/** The dataset's typed arrays move to the main thread instead of being copied (each buffer listed once). */
const buffersOf = (...sets: Dataset[]): ArrayBuffer[] => [
  ...new Set(
    sets
      .flatMap((d) => [d.X.buffer, d.y?.buffer, d.volatility?.buffer])
      .filter((b): b is ArrayBuffer => b instanceof ArrayBuffer),
  ),
];

port.on('message', (req: FitRequest) => {
  try {
    const onFold = req.progress
      ? (done: number, total: number) => {
          post({ type: 'fold', done, total });
        }
      : undefined;
    const r = fitShare(req.symbol, req.bars, req.settings, {
      share: req.share,
      final: req.task === 'fit',
      ...(onFold ? { onFold } : {}),
    });
    const final = r.final
      ? {
          modelJson: r.final.toJSON(),
          params: r.final.params(),
          preprocessing: r.final.preprocessing(),
          trials: r.final.tuningTrials(),
        }
      : null;
    post(
      {
        type: 'share',
        built: r.built,
        folds: r.folds,
        final,
        startedAt: r.startedAt,
        endedAt: r.endedAt,
        threadId: r.threadId,
      },
      [
        ...(r.built ? buffersOf(r.built.labeled, r.built.latest) : []),
        ...new Set(r.folds.map((f) => f.predicted.buffer).filter((b) => b instanceof ArrayBuffer)),
      ],
    );
  } catch (e) {
    post({ type: 'error', error: errorToJSON(e) });
  }
});
