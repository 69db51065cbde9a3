// Worker-thread body of FitPool (fit-pool.ts, which loads it from dist/): runs fitAndEvaluate (or scoreModel)
// for each posted request and posts fold progress, then the outcome (its typed arrays transferred) or the error as plain data.
import { parentPort } from 'node:worker_threads';
import { errorToJSON, featureSetKey, type Dataset } from '../core/index.js';
import type { FitReply, FitRequest } from './fit-pool.js';
import { fitAndEvaluate, scoreModel } from './model-fit.js';

const port = parentPort;
if (!port) {
  throw new Error('fit-worker.js runs as a worker thread of FitPool');
}

const post = (reply: FitReply, transfer: ArrayBuffer[] = []) => {
  port.postMessage(reply, transfer);
};

/** The dataset's typed arrays move to the main thread instead of being copied (each buffer listed once). */
const buffersOf = (...sets: Dataset[]): ArrayBuffer[] => [
  ...new Set(
    sets
      .flatMap((d) => [d.X.buffer, d.y?.buffer])
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
    if (req.task === 'score') {
      post({ type: 'scored', scored: scoreModel(req.symbol, req.bars, req.settings, onFold) });
      return;
    }
    const o = fitAndEvaluate(req.symbol, req.bars, {
      ...req.settings,
      ...(onFold ? { onFold } : {}),
    });
    post(
      {
        type: 'done',
        featureSet: featureSetKey(o.featureSet),
        built: o.built,
        report: o.report,
        modelJson: o.modelJson,
        conformal: o.conformal,
        final: {
          params: o.final.params(),
          preprocessing: o.final.preprocessing(),
          trials: o.final.tuningTrials(),
        },
      },
      buffersOf(o.built.labeled, o.built.latest),
    );
  } catch (e) {
    post({ type: 'error', error: errorToJSON(e) });
  }
});
