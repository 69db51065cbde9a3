// Worker thread of the universe benchmark: builds features and fits the GBDT for its share of the tickers.
import { parentPort, workerData } from 'node:worker_threads';
import {
  alphaFeatureSet,
  buildDataset,
  HistogramGbdtModel,
  toSeries,
  type Bar,
  type BoostingParams,
} from '../src/core/index.js';
import { universeBars, type UniverseConfig } from './universe.js';

interface Job {
  src: Bar[];
  tickers: number[];
  universe: UniverseConfig;
  gbdt: Partial<BoostingParams>;
  horizon: number;
}

const job = workerData as Job;
let rows = 0;
for (const k of job.tickers) {
  const bars = universeBars(job.src, k, job.universe);
  const built = buildDataset(toSeries(`U${k}`, bars), alphaFeatureSet, job.horizon);
  const model = new HistogramGbdtModel({ ...job.gbdt, earlyStopping: false, grid: {} });
  model.fit(built.labeled);
  rows += built.labeled.nRows;
}
parentPort?.postMessage({ rows });
