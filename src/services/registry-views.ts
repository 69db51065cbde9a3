// Read views of the tracker and the registry as the API lists them: runs by ticker and horizon, models with their versions.
import { type Horizon, type TickerSymbol, type TrackedRun } from '../core/index.js';
import type { RegisteredModelInfo } from '../api/index.js';
import type { ServiceDeps } from './deps.js';
import { withDatasets } from './registry-audit.js';

/** Tracked runs of a ticker and/or horizon (the tags every training sets), newest first. */
export function searchRuns(
  deps: Pick<ServiceDeps, 'tracker'>,
  filter: { ticker?: TickerSymbol | undefined; horizon?: Horizon | undefined; limit: number },
): Promise<TrackedRun[]> {
  const tags: Record<string, string> = {};
  if (filter.ticker !== undefined) {
    tags['stockops.ticker'] = filter.ticker;
  }
  if (filter.horizon !== undefined) {
    tags['stockops.horizon'] = String(filter.horizon);
  }
  return deps.tracker.searchRuns({ tags, limit: filter.limit });
}

/**
 * Every registered model with its versions (the registry reads them model by model, at once), each
 * version with the data set it was trained on.
 */
export async function listModels(
  deps: Pick<ServiceDeps, 'registry' | 'tracker'>,
): Promise<RegisteredModelInfo[]> {
  const models = await deps.registry.listModels();
  return Promise.all(
    models.map(async (m) => ({
      ...m,
      versions: await withDatasets(deps, m.name, await deps.registry.listVersions(m.name)),
    })),
  );
}
