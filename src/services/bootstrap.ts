// First start: load the bundled sample, then for h = 1, 5 and 20 register naive (the floor) and ridge, promoted by the gate.
import { HORIZONS, modelName, type Horizon, type TickerSymbol } from '../core/index.js';
import type { ImportResult } from '../api/index.js';
import { importCsv } from './import-csv.js';
import type { ServiceDeps } from './deps.js';
import { promoteIfBetter } from './promote.js';
import type { TrainMetrics } from './model-fit.js';
import { ensureNaiveFloor, registerVersion, trainTracked } from './train.js';

export interface SampleData {
  symbol: TickerSymbol;
  source: string;
  read(): Promise<Uint8Array>;
}

/** What the bootstrap did for one horizon. */
export interface BootstrapHorizon {
  horizon: Horizon;
  /** Registered model name, e.g. ^GSPC.h5. */
  modelName: string;
  naiveVersion: number;
  ridge: { runId: string; version: number; promoted: boolean; metrics: TrainMetrics };
  /** The gate's decision on ridge, with the numbers. */
  decision: string;
}

export interface BootstrapResult {
  imported: ImportResult | null;
  /** One entry per horizon that had no champion yet; empty when every horizon had one. */
  trained: BootstrapHorizon[];
}

/**
 * Idempotent: horizons that already have a champion are left alone. For the others, naive is trained
 * and registered first (the floor, champion at once, so the horizon serves within seconds), then ridge,
 * which takes the alias only if it beats naive on the gate window. h = 1 goes first: the first forecast
 * does not wait for the longer horizons.
 */
export async function bootstrap(
  deps: ServiceDeps,
  sample: SampleData,
  horizons: readonly Horizon[] = HORIZONS,
): Promise<BootstrapResult> {
  let imported: ImportResult | null = null;
  if (!(await deps.prices.getTicker(sample.symbol))) {
    imported = await importCsv(deps, {
      ticker: sample.symbol,
      bytes: await sample.read(),
      source: sample.source,
    });
  }
  const trained: BootstrapHorizon[] = [];
  for (const horizon of horizons) {
    const name = modelName(sample.symbol, horizon);
    if (await deps.registry.getVersionByAlias(name, 'champion')) {
      continue;
    }
    const input = { ticker: sample.symbol, horizon, actor: 'bootstrap' };
    const floor = await ensureNaiveFloor(deps, input);
    const ridge = await trainTracked(deps, { ...input, model: 'ridge' });
    const version = await registerVersion(deps, ridge);
    const gate = await promoteIfBetter(deps, version, ridge, 'bootstrap');
    await deps.tracker.setTags(ridge.runId, {
      'stockops.registered_version': String(version.version),
    });
    trained.push({
      horizon,
      modelName: name,
      naiveVersion: floor.version.version,
      ridge: {
        runId: ridge.runId,
        version: version.version,
        promoted: gate.promoted,
        metrics: ridge.metrics,
      },
      decision: gate.decision,
    });
  }
  return { imported, trained };
}
