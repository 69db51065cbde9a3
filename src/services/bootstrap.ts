// First start: load the bundled sample, evaluate naive and ridge, register the better one as champion.
import { modelName, type TickerSymbol } from '../core/index.js';
import type { ImportResult } from '../api/index.js';
import { importCsv } from './import-csv.js';
import type { ServiceDeps } from './deps.js';
import { promoteIfBetter } from './promote.js';
import type { TrainMetrics } from './model-fit.js';
import { registerVersion, trainTracked } from './train.js';

export interface SampleData {
  symbol: TickerSymbol;
  source: string;
  read(): Promise<Uint8Array>;
}

export interface BootstrapResult {
  imported: ImportResult | null;
  trained: {
    runs: { model: string; runId: string; metrics: TrainMetrics }[];
    version: number;
    decision: string;
  } | null;
}

/** Idempotent: does nothing when the sample ticker already has data and a champion. */
export async function bootstrap(
  deps: ServiceDeps,
  sample: SampleData,
  horizon = 1,
): Promise<BootstrapResult> {
  let imported: ImportResult | null = null;
  if (!(await deps.prices.getTicker(sample.symbol))) {
    imported = await importCsv(deps, {
      ticker: sample.symbol,
      body: await sample.read(),
      source: sample.source,
    });
  }
  const name = modelName(sample.symbol, horizon);
  if (await deps.registry.getVersionByAlias(name, 'champion')) {
    return { imported, trained: null };
  }
  const naive = await trainTracked(deps, { ticker: sample.symbol, model: 'naive', horizon });
  const ridge = await trainTracked(deps, { ticker: sample.symbol, model: 'ridge', horizon });
  // Ridge is served only if it beats "tomorrow = today" out of sample; otherwise the honest answer is naive.
  const best = ridge.metrics.rmse < naive.metrics.rmse ? ridge : naive;
  const version = await registerVersion(deps, best);
  const { decision } = await promoteIfBetter(deps, version, best, 'bootstrap');
  return {
    imported,
    trained: {
      runs: [naive, ridge].map((t) => ({
        model: t.model.kind,
        runId: t.runId,
        metrics: t.metrics,
      })),
      version: version.version,
      decision: `${best.model.kind} chosen (ridge RMSE ${ridge.metrics.rmse.toPrecision(5)} vs naive ${naive.metrics.rmse.toPrecision(5)}); ${decision}`,
    },
  };
}
