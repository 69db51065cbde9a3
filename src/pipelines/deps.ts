// What the pipelines need: the ports, wired by the runtime.
import type { AliasLog, PriceStore, Registry, Tracker } from '../core/index.js';

export interface PipelineDeps {
  prices: PriceStore;
  tracker: Tracker;
  registry: Registry;
  aliasLog: AliasLog;
  /** Injected so tests can fix "today". @defaultValue () => new Date() */
  now?: () => Date;
}

export const today = (deps: Pick<PipelineDeps, 'now'>): string =>
  (deps.now ? deps.now() : new Date()).toISOString().slice(0, 10);

/** Registered model (and experiment) name for a ticker and horizon, e.g. `^GSPC.h1`. */
export const modelName = (symbol: string, horizon: number): string => `${symbol}.h${horizon}`;
