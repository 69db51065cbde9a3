// Lineage: the data a run used, as a content-addressed Parquet snapshot whose digest and range the run records.
import { createHash } from 'node:crypto';
import type { Bar, DatasetRef } from '../core/index.js';
import type { ServiceDeps } from './deps.js';

/**
 * Snapshots the bars (the same bars always give the same file, so an ETL snapshot and a training run on unchanged
 * data share one file and one digest). Without a dataset store, the digest of the bars' text stands in and the
 * source says where they were read from.
 */
export async function snapshotDataset(
  deps: Pick<ServiceDeps, 'datasets'>,
  symbol: string,
  bars: readonly Bar[],
): Promise<DatasetRef> {
  if (deps.datasets) {
    return deps.datasets.snapshot(symbol, bars);
  }
  const h = createHash('sha256');
  for (const b of bars) {
    h.update(`${b.date},${b.open},${b.high},${b.low},${b.close},${b.adjClose},${b.volume ?? ''}\n`);
  }
  return {
    name: `${symbol}.daily.clean`,
    symbol,
    digest: h.digest('hex'),
    uri: `stockops://prices/${symbol}`,
    format: 'digest-only',
    rows: bars.length,
    from: bars[0]?.date ?? '',
    to: bars[bars.length - 1]?.date ?? '',
    bytes: 0,
  };
}
