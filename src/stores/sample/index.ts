// The bundled real sample: daily S&P 500 (^GSPC) 2000-01-03..2020-04-17 from the npm package vega-datasets.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { normalizeSymbol } from '../../core/index.js';

export const SAMPLE_SYMBOL = normalizeSymbol('^GSPC');

/** Path of data/sp500-2000.csv inside vega-datasets (its exports hide the data folder, so resolve the entry). */
export function samplePath(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('vega-datasets');
  return join(dirname(entry), '..', 'data', 'sp500-2000.csv');
}

export const bundledSample = {
  symbol: SAMPLE_SYMBOL,
  source: 'sample:vega-datasets/data/sp500-2000.csv',
  read: async (): Promise<Uint8Array> => new Uint8Array(await readFile(samplePath())),
};
