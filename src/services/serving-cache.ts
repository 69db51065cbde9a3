// What serving keeps per champion: the model, its feature set, calibrator and metrics, read once per version.
import {
  ArtifactNotFoundError,
  getFeatureSet,
  modelFromJSON,
  ModelNotFoundError,
  modelName,
  type ConformalState,
  type FeatureSet,
  type Horizon,
  type Model,
  type ModelJson,
  type ModelVersion,
  type TickerSymbol,
} from '../core/index.js';
import type { ModelMetrics } from '../api/index.js';
import type { ServiceDeps } from './deps.js';

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

/**
 * The champion of each model, loaded once per version. The alias is resolved on every call, so a move
 * (by this process or any other) is served on the next request; the version it replaces is dropped then.
 */
export class ServingCache {
  private readonly byName = new Map<string, { version: number; served: Promise<ServedVersion> }>();
  private readonly limit: number;

  /** @param limit models kept; the least recently loaded is dropped past it. @defaultValue 256 */
  constructor(limit = 256) {
    this.limit = limit;
  }

  async champion(
    deps: ServiceDeps,
    symbol: TickerSymbol,
    horizon: Horizon,
  ): Promise<ServedVersion> {
    const name = modelName(symbol, horizon);
    const version = await deps.registry.getVersionByAlias(name, 'champion');
    if (!version) {
      throw new ModelNotFoundError(
        `no champion for ${symbol} at horizon ${horizon}; train one with POST /api/train {"ticker":"${symbol}","horizon":${horizon}}`,
      );
    }
    const cached = this.byName.get(name);
    if (cached?.version === version.version) {
      return cached.served;
    }
    // Concurrent requests for a new version share one load; a failed load is not kept.
    const entry = { version: version.version, served: loadVersion(deps, version) };
    this.byName.delete(name);
    this.byName.set(name, entry);
    entry.served.catch(() => {
      if (this.byName.get(name) === entry) {
        this.byName.delete(name);
      }
    });
    if (this.byName.size > this.limit) {
      const oldest = this.byName.keys().next();
      if (!oldest.done) {
        this.byName.delete(oldest.value);
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
    if (!version) {
      return null;
    }
    const key = `${name}#naive`;
    const cached = this.byName.get(key);
    if (cached?.version === version.version) {
      return cached.served;
    }
    const entry = { version: version.version, served: loadVersion(deps, version) };
    this.byName.set(key, entry);
    entry.served.catch(() => {
      if (this.byName.get(key) === entry) {
        this.byName.delete(key);
      }
    });
    return entry.served;
  }

  /** Forgets a model's loaded version (or every model's). */
  drop(name?: string): void {
    if (name === undefined) {
      this.byName.clear();
    } else {
      this.byName.delete(name);
    }
  }
}
