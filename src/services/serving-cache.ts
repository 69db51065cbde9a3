// What serving keeps in memory: each champion's model, feature set, calibrator and metrics (read once per version), and the forecasts computed from them.
import {
  ArtifactNotFoundError,
  getFeatureSet,
  type Bar,
  modelFromJSON,
  ModelNotFoundError,
  modelName,
  type ConformalState,
  type FeatureSet,
  type Horizon,
  type Model,
  type ModelJson,
  type Invalidation,
  type ModelVersion,
  type TickerSummary,
  type TickerSymbol,
  UnknownTickerError,
} from '../core/index.js';
import type { ModelMetrics } from '../api/index.js';
import type { ServiceDeps } from './deps.js';
import type { DetailedPrediction } from './detailed-prediction.js';

/** A registered version as served: everything a prediction needs besides the bars. */
export interface ServedVersion {
  name: string;
  version: number;
  runId: string;
  model: Model;
  featureSet: FeatureSet;
  /** Null for versions trained before intervals existed: served without intervals. */
  conformal: ConformalState | null;
  /** The run's walk-forward scores (a run's metrics never change once its version exists). */
  metrics: ModelMetrics;
  /** The reason recorded in the alias log when `champion` last moved to this version. */
  servedBecause: string;
}

/** Run metric keys (MLflow's snake case) by the name the API gives them. */
const METRIC_KEYS: Readonly<Record<keyof ModelMetrics, string>> = {
  rmse: 'rmse',
  rmseNaive: 'rmse_naive',
  skill: 'skill',
  directionAccuracy: 'direction_accuracy',
  upRate: 'up_rate',
  folds: 'folds',
  mape: 'mape',
  dmPValue: 'dm_p_value',
  coverage80: 'coverage_80',
  coverage95: 'coverage_95',
  intervalWidth80: 'interval_width_80',
  intervalWidth95: 'interval_width_95',
  intervalScore80: 'interval_score_80',
  intervalScore95: 'interval_score_95',
};

/** Why a version holds `champion`: the reason of the newest alias-log move of `champion` to it. */
async function championReason(deps: ServiceDeps, v: ModelVersion): Promise<string> {
  const events = await deps.aliasLog.list(v.name).catch(() => []);
  const last = events
    .filter((e) => e.alias === 'champion' && e.toVersion === v.version)
    .sort((a, b) => b.at - a.at || b.id - a.id)[0];
  return last?.reason ?? 'no reason recorded for this version taking the champion alias';
}

async function loadVersion(deps: ServiceDeps, v: ModelVersion): Promise<ServedVersion> {
  const read = async (path: string) =>
    JSON.parse(new TextDecoder().decode(await deps.tracker.getArtifact(v.runId, path))) as unknown;
  const [json, conformal, run, servedBecause] = await Promise.all([
    read('model/model.json') as Promise<ModelJson>,
    read('model/conformal.json').catch((e: unknown) => {
      if (e instanceof ArtifactNotFoundError) {
        return null;
      }
      throw e;
    }) as Promise<ConformalState | null>,
    // Metrics are shown beside the forecast; a run the tracker lost leaves them out, not the forecast.
    deps.tracker.getRun(v.runId).catch(() => null),
    championReason(deps, v),
  ]);
  const metrics: ModelMetrics = {};
  for (const [k, src] of Object.entries(METRIC_KEYS) as [keyof ModelMetrics, string][]) {
    const value = run?.metrics[src];
    if (value !== undefined) {
      metrics[k] = value;
    }
  }
  return {
    name: v.name,
    version: v.version,
    runId: v.runId,
    model: modelFromJSON(json),
    featureSet: getFeatureSet(json.featureSet ?? 'basic@1'),
    conformal,
    metrics,
    servedBecause,
  };
}

export interface ServingCacheOptions {
  /** Loaded versions kept; the least recently loaded is dropped past it. @defaultValue 256 */
  versions?: number;
  /** Computed forecasts kept; the oldest is dropped past it. @defaultValue 10000 */
  forecasts?: number;
  /**
   * Keep computed forecasts (STOCKOPS_SERVING_CACHE). Off, every request reads the bars and runs the feature
   * pipeline and the model; loaded versions are kept either way. @defaultValue true
   */
  enabled?: boolean;
  /**
   * How long a champion or a ticker's last bar date read from the store is trusted while nothing tells this
   * process about changes made by others: the bound on how stale another replica's alias move or ETL load can be
   * served here. @defaultValue 1000
   */
  recheckMs?: number;
  /**
   * The same while an invalidation bus shared with the other processes is listening: changes then arrive as
   * messages, and this is only the backstop for one that was lost. @defaultValue 60000
   */
  listeningRecheckMs?: number;
  /** True while invalidations from other processes reach this one (a connected Redis subscription). */
  listening?: () => boolean;
  /** @defaultValue Date.now */
  now?: () => number;
}

interface Fact<T> {
  value: T;
  at: number;
}

interface CachedForecast {
  ticker: string;
  name: string;
  value: DetailedPrediction | null;
  pending: Promise<DetailedPrediction>;
}

/** Where a forecast came from, for the stage timings and the tests. */
export type ServeSource = 'hit' | 'computed';

const forecastKey = (ticker: string, horizon: number, version: number, lastDate: string) =>
  `${ticker}\u0000${horizon}\u0000${version}\u0000${lastDate}`;

/**
 * Per process: the champion of each model (loaded once per version), each ticker's last bar date, and the
 * forecasts computed for (ticker, horizon, champion version, last bar date). A forecast depends on nothing
 * else, so a hit reads no store and computes nothing. What says a hit is still right is the champion and the
 * last bar date, trusted for `recheckMs` (1 s) after they were read, or until an invalidation (an alias move,
 * new bars) drops them: at once in the process that made the change, and in the others through the
 * invalidation bus when there is one.
 */
export class ServingCache {
  private readonly versions = new Map<
    string,
    { version: number; served: Promise<ServedVersion> }
  >();
  private readonly champions = new Map<string, Fact<ModelVersion>>();
  private readonly summaries = new Map<string, Fact<TickerSummary>>();
  private readonly forecasts = new Map<string, CachedForecast>();
  private readonly reads = new Map<string, Promise<unknown>>();
  /** Bumped by every invalidation, so a read that started before one does not store what it found. */
  private generation = 0;
  private hits = 0;
  private misses = 0;
  private readonly versionLimit: number;
  private readonly forecastLimit: number;
  private readonly recheckMs: number;
  private readonly listeningRecheckMs: number;
  private readonly listening: () => boolean;
  private readonly now: () => number;
  readonly enabled: boolean;

  constructor(o: ServingCacheOptions = {}) {
    this.versionLimit = o.versions ?? 256;
    this.forecastLimit = o.forecasts ?? 10_000;
    this.enabled = o.enabled ?? true;
    this.recheckMs = o.recheckMs ?? 1000;
    this.listeningRecheckMs = o.listeningRecheckMs ?? 60_000;
    this.listening = o.listening ?? (() => false);
    this.now = o.now ?? Date.now;
  }

  private fresh<T>(fact: Fact<T> | undefined, now: number): fact is Fact<T> {
    if (!fact) {
      return false;
    }
    return now - fact.at < (this.listening() ? this.listeningRecheckMs : this.recheckMs);
  }

  /** A forecast already computed for the current champion and last bar, without any store read; else undefined. */
  peek(symbol: TickerSymbol, horizon: Horizon): DetailedPrediction | undefined {
    if (!this.enabled) {
      return undefined;
    }
    const now = this.now();
    const champion = this.champions.get(modelName(symbol, horizon));
    const summary = this.summaries.get(symbol);
    const hit =
      this.fresh(champion, now) && this.fresh(summary, now)
        ? this.forecasts.get(
            forecastKey(symbol, horizon, champion.value.version, summary.value.lastDate),
          )?.value
        : undefined;
    if (hit) {
      this.hits++;
    } else {
      this.misses++;
    }
    return hit ?? undefined;
  }

  /** Lookups by result since start: a hit read no store and computed nothing. */
  lookups(): { hits: number; misses: number } {
    return { hits: this.hits, misses: this.misses };
  }

  /** One store read per key at a time; its result is kept only if nothing was invalidated meanwhile. */
  private readOnce<T>(key: string, read: () => Promise<T>, keep: (value: T) => void): Promise<T> {
    const running = this.reads.get(key) as Promise<T> | undefined;
    if (running) {
      return running;
    }
    const generation = this.generation;
    const p = read().then(
      (value) => {
        this.reads.delete(key);
        if (generation === this.generation) {
          keep(value);
        }
        return value;
      },
      (e: unknown) => {
        this.reads.delete(key);
        throw e;
      },
    );
    this.reads.set(key, p);
    return p;
  }

  /** The ticker's first and last date, or UnknownTickerError. */
  async summary(deps: Pick<ServiceDeps, 'prices'>, symbol: TickerSymbol): Promise<TickerSummary> {
    const fact = this.summaries.get(symbol);
    if (this.fresh(fact, this.now())) {
      return fact.value;
    }
    return this.readOnce(
      `t:${symbol}`,
      async () => {
        const summary = await deps.prices.getTicker(symbol);
        if (!summary) {
          throw new UnknownTickerError(symbol);
        }
        return summary;
      },
      (value) => this.summaries.set(symbol, { value, at: this.now() }),
    );
  }

  /**
   * The ticker's bars from `from`: read from the store, never kept, but concurrent requests for the same bars
   * share the read in flight (with the cache off, a burst of misses costs one read, not one per request).
   * The read starts on the next turn of the event loop, after the requests that arrived with this one have been
   * parsed: an embedded database runs a query synchronously, so a read started at once would be over before the
   * next request could join it, and every request would pay its own.
   */
  bars(
    deps: Pick<ServiceDeps, 'prices'>,
    symbol: TickerSymbol,
    from: string | undefined,
  ): Promise<Bar[]> {
    return this.readOnce(
      `b:${symbol}:${from ?? ''}`,
      async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        return deps.prices.getBars(symbol, from === undefined ? {} : { from });
      },
      () => undefined,
    );
  }

  /** The champion of (symbol, horizon) as served, or ModelNotFoundError. */
  async champion(
    deps: ServiceDeps,
    symbol: TickerSymbol,
    horizon: Horizon,
  ): Promise<ServedVersion> {
    const name = modelName(symbol, horizon);
    const fact = this.champions.get(name);
    const version = this.fresh(fact, this.now())
      ? fact.value
      : await this.readOnce(
          `c:${name}`,
          async () => {
            const v = await deps.registry.getVersionByAlias(name, 'champion');
            if (!v) {
              throw new ModelNotFoundError(
                `no champion for ${symbol} at horizon ${horizon}; train one with POST /api/train {"ticker":"${symbol}","horizon":${horizon}}`,
              );
            }
            return v;
          },
          (value) => this.champions.set(name, { value, at: this.now() }),
        );
    return this.load(deps, version);
  }

  /** A version loaded once; `name` keys it (a model's champion by default, its naive floor apart). */
  private load(
    deps: ServiceDeps,
    version: ModelVersion,
    name = version.name,
  ): Promise<ServedVersion> {
    const cached = this.versions.get(name);
    if (cached?.version === version.version) {
      return cached.served;
    }
    // Concurrent requests for a new version share one load; a failed load is not kept.
    const entry = { version: version.version, served: loadVersion(deps, version) };
    this.versions.delete(name);
    this.versions.set(name, entry);
    entry.served.catch(() => {
      if (this.versions.get(name) === entry) {
        this.versions.delete(name);
      }
    });
    if (this.versions.size > this.versionLimit) {
      const oldest = this.versions.keys().next();
      if (!oldest.done) {
        this.versions.delete(oldest.value);
      }
    }
    return entry.served;
  }

  /**
   * The newest naive version of a model (the floor), loaded once per version; null when the model has
   * none (data folders from before naive was always registered). Forecast paths scale its intervals
   * past the longest horizon with a champion.
   */
  async naive(
    deps: ServiceDeps,
    symbol: TickerSymbol,
    horizon: Horizon,
  ): Promise<ServedVersion | null> {
    const name = modelName(symbol, horizon);
    const versions = await deps.registry.listVersions(name).catch(() => []);
    const version = versions.find((v) => v.tags.kind === 'naive');
    return version ? this.load(deps, version, `${name}#naive`) : null;
  }

  /**
   * The forecast of `served` from the bars up to `lastDate`: computed once (concurrent requests share the
   * computation) and kept, unless the cache is disabled.
   */
  async forecast(
    symbol: TickerSymbol,
    horizon: Horizon,
    served: ServedVersion,
    lastDate: string,
    compute: () => Promise<DetailedPrediction>,
  ): Promise<{ prediction: DetailedPrediction; source: ServeSource }> {
    if (!this.enabled) {
      return { prediction: await compute(), source: 'computed' };
    }
    const key = forecastKey(symbol, horizon, served.version, lastDate);
    const cached = this.forecasts.get(key);
    if (cached) {
      return { prediction: cached.value ?? (await cached.pending), source: 'hit' };
    }
    const generation = this.generation;
    const entry: CachedForecast = {
      ticker: symbol,
      name: served.name,
      value: null,
      pending: compute(),
    };
    this.forecasts.set(key, entry);
    try {
      entry.value = await entry.pending;
    } catch (e) {
      if (this.forecasts.get(key) === entry) {
        this.forecasts.delete(key);
      }
      throw e;
    }
    if (generation !== this.generation && this.forecasts.get(key) === entry) {
      // Bars or alias changed while it was computed: serve it once, keep nothing.
      this.forecasts.delete(key);
    }
    if (this.forecasts.size > this.forecastLimit) {
      const oldest = this.forecasts.keys().next();
      if (!oldest.done) {
        this.forecasts.delete(oldest.value);
      }
    }
    return { prediction: entry.value, source: 'computed' };
  }

  /** Drops what an alias move or new bars made stale (see the InvalidationBus port). */
  invalidate(invalidation: Invalidation): void {
    this.generation++;
    switch (invalidation.kind) {
      case 'champion':
        this.champions.delete(invalidation.model);
        this.dropForecasts((f) => f.name === invalidation.model);
        return;
      case 'bars':
        this.summaries.delete(invalidation.ticker);
        this.dropForecasts((f) => f.ticker === invalidation.ticker);
        return;
      case 'all':
        this.champions.clear();
        this.summaries.clear();
        this.forecasts.clear();
        return;
    }
  }

  private dropForecasts(stale: (f: CachedForecast) => boolean): void {
    for (const [key, f] of this.forecasts) {
      if (stale(f)) {
        this.forecasts.delete(key);
      }
    }
  }

  /** Forgets a model's loaded version and champion (or every model's). */
  drop(name?: string): void {
    if (name === undefined) {
      this.versions.clear();
      this.invalidate({ kind: 'all' });
    } else {
      this.versions.delete(name);
      this.invalidate({ kind: 'champion', model: name });
    }
  }

  /** Counts for /api/ready and the tests. */
  size(): { versions: number; forecasts: number } {
    return { versions: this.versions.size, forecasts: this.forecasts.size };
  }
}
