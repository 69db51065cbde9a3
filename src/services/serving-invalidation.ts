// Where serving learns that its cache went stale: every alias move and every write of a cleaned series announces itself.
import type { Invalidation, PriceStore, Registry } from '../core/index.js';

/** Hands an invalidation on (to the bus); never throws into the write that caused it. */
export type Announce = (invalidation: Invalidation) => void;

/**
 * The registry, announcing each alias move once it is stored. Wrapping the port rather than each caller
 * catches every path that moves an alias: the promotion gate in a worker, a manual move, a rollback.
 */
export function announcingRegistry(registry: Registry, announce: Announce): Registry {
  return new Proxy(registry, {
    get(target, prop, receiver) {
      if (prop === 'setAlias') {
        return async (name: string, alias: string, version: number) => {
          await target.setAlias(name, alias, version);
          announce({ kind: 'champion', model: name });
        };
      }
      if (prop === 'deleteAlias') {
        return async (name: string, alias: string) => {
          await target.deleteAlias(name, alias);
          announce({ kind: 'champion', model: name });
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * The price store, announcing new bars of a ticker once its cleaned series is written (the ETL's load and the
 * CSV import both end there), so no replica serves a forecast from yesterday's last bar.
 */
export function announcingPrices(prices: PriceStore, announce: Announce): PriceStore {
  return new Proxy(prices, {
    get(target, prop, receiver) {
      if (prop === 'writeClean') {
        return async (symbol: string, bars: Parameters<PriceStore['writeClean']>[1]) => {
          const written = await target.writeClean(symbol, bars);
          announce({ kind: 'bars', ticker: symbol });
          return written;
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
