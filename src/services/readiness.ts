// Warming a replica before it says it is ready: every champion loaded, and the prediction path run once.
import { parseModelName, type Horizon, type TickerSymbol } from '../core/index.js';
import type { ServiceDeps } from './deps.js';
import { predictDetailed } from './predict.js';
import type { ServingCache } from './serving-cache.js';

export interface WarmResult {
  /** Champions loaded. */
  champions: number;
  /** Champions that could not be loaded or predicted, with why (they answer with their error when asked). */
  failed: { model: string; error: string }[];
}

/**
 * Loads the champion of every registered model stockops made, and predicts once with the first of them, so
 * the first real request finds the model parsed, the bars' path compiled and the cache filled. Failures are
 * reported, not thrown: one broken model must not keep a replica out of service for all the others.
 */
export async function warmServing(deps: ServiceDeps, cache: ServingCache): Promise<WarmResult> {
  const models = await deps.registry.listModels();
  const targets: { model: string; symbol: TickerSymbol; horizon: Horizon }[] = [];
  for (const m of models) {
    const parsed = parseModelName(m.name);
    if (parsed && m.aliases.champion !== undefined) {
      targets.push({ model: m.name, ...parsed });
    }
  }
  const failed: WarmResult['failed'] = [];
  let loaded = 0;
  let next = 0;
  // A few at once: each load reads three artifacts.
  const work = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      const t = targets[i];
      if (!t) {
        continue;
      }
      try {
        await cache.champion(deps, t.symbol, t.horizon);
        loaded++;
      } catch (e) {
        failed.push({ model: t.model, error: e instanceof Error ? e.message : String(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, targets.length) }, work));
  const first = targets.find((t) => !failed.some((f) => f.model === t.model));
  if (first) {
    try {
      await predictDetailed(deps, cache, { ticker: first.symbol, horizon: first.horizon });
    } catch (e) {
      failed.push({ model: first.model, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { champions: loaded, failed };
}
