// Batch serving: many (ticker, horizon) forecasts in one request, each with its own result or error.
import { isStockopsError, type Horizon, type TickerSymbol } from '../core/index.js';
import type { BatchPredictResult } from '../api/index.js';
import type { ServiceDeps } from './deps.js';
import { predictDetailed, publicPrediction, servedForecast } from './predict.js';
import type { ServingCache } from './serving-cache.js';

/**
 * Items computed at once: a batch of cache misses reads the store and runs features for this many items
 * concurrently, so one request cannot take every database connection.
 */
const CONCURRENCY = 8;

/**
 * Each item's forecast, in the order asked. A domain failure (unknown ticker, no champion) is that item's error
 * and the others are still served; anything else fails the request. Each item served is one serve in the log.
 */
export async function predictBatch(
  deps: ServiceDeps,
  cache: ServingCache,
  items: readonly { ticker: TickerSymbol; horizon: Horizon }[],
): Promise<BatchPredictResult> {
  const results: BatchPredictResult['results'] = new Array<BatchPredictResult['results'][number]>(
    items.length,
  );
  let next = 0;
  let failed = 0;
  const servedAt = Date.now();
  const work = async () => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (!item) {
        continue;
      }
      try {
        const prediction = publicPrediction(await predictDetailed(deps, cache, item));
        deps.served?.served(servedForecast(prediction, 'batch', servedAt));
        results[i] = { ticker: item.ticker, horizon: item.horizon, status: 'ok', prediction };
      } catch (e) {
        if (!isStockopsError(e)) {
          throw e;
        }
        failed++;
        results[i] = {
          ticker: item.ticker,
          horizon: item.horizon,
          status: 'error',
          error: { code: e.code, message: e.message },
        };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, work));
  return { served: items.length - failed, failed, results };
}
