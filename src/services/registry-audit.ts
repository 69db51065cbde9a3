// What an auditor asks the registry: which version was serving at a past time (from the alias log), and which data set each version was trained on.
import {
  InvalidInputError,
  ModelNotFoundError,
  parseModelName,
  type AliasEvent,
  type EtlRunLog,
  type ModelVersion,
  type TrackedRun,
} from '../core/index.js';
import type { ChampionAt, VersionDataset } from '../api/index.js';
import type { ServiceDeps } from './deps.js';

/** Run tag naming the ETL run that last loaded the ticker before the training read its bars. */
export const ETL_RUN_TAG = 'stockops.data.etl_run';

/**
 * A point in time as the API takes it: milliseconds since the epoch, or an ISO 8601 date or date-time (a
 * date alone is its end, 23:59:59.999 UTC, so "on 2024-03-01" includes that day's moves).
 */
export function parseTime(input: string): number {
  const s = input.trim();
  if (/^\d{1,15}$/.test(s)) {
    return Number(s);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const t = Date.parse(`${s}T23:59:59.999Z`);
    if (Number.isFinite(t)) {
      return t;
    }
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const t = Date.parse(s);
    if (Number.isFinite(t)) {
      return t;
    }
  }
  throw new InvalidInputError(
    'time',
    `expected milliseconds since the epoch or an ISO 8601 date or date-time (2024-03-01, 2024-03-01T14:30:00Z); found "${input}"`,
  );
}

/**
 * The version `champion` pointed at, at `time`: the last champion move at or before it in the alias log.
 * Before the first move nothing was served (a request then answered MODEL_NOT_FOUND).
 */
export async function championAt(
  deps: Pick<ServiceDeps, 'registry' | 'aliasLog'>,
  name: string,
  timeInput: string,
): Promise<ChampionAt> {
  const time = parseTime(timeInput);
  if (!(await deps.registry.listModels()).some((m) => m.name === name)) {
    throw new ModelNotFoundError(`registered model "${name}"`);
  }
  const moves = (await deps.aliasLog.list(name))
    .filter((e) => e.alias === 'champion')
    .sort((a, b) => a.at - b.at || a.id - b.id);
  let at: AliasEvent | null = null;
  for (const e of moves) {
    if (e.at <= time) {
      at = e;
    }
  }
  const first = moves[0];
  if (at === null || at.toVersion === null) {
    return {
      name,
      time,
      version: null,
      kind: null,
      since: at?.at ?? null,
      move: at,
      note: first
        ? first.at > time
          ? `no champion yet: the first champion move was at ${new Date(first.at).toISOString()}; before it nothing was served`
          : 'champion was removed at this time; nothing was served'
        : 'this model has never had a champion',
    };
  }
  const version = await deps.registry.getVersion(name, at.toVersion).catch(() => null);
  return {
    name,
    time,
    version: at.toVersion,
    kind: version?.tags.kind ?? null,
    since: at.at,
    move: at,
    note: `v${at.toVersion} served from ${new Date(at.at).toISOString()} (${at.actor}: ${at.reason})`,
  };
}

/** The ETL run that last loaded `symbol` successfully, newest first among the last `scan` runs. */
export async function lastEtlRunOf(
  etlRuns: EtlRunLog | undefined,
  symbol: string,
  scan = 100,
): Promise<string | null> {
  if (!etlRuns) {
    return null;
  }
  const runs = await etlRuns.list(scan);
  const hit = runs.find((r) => r.results.some((x) => x.symbol === symbol && x.status === 'ok'));
  return hit?.id ?? null;
}

const datasetOf = (run: TrackedRun | undefined): VersionDataset | null => {
  const d = run?.datasets?.[0];
  if (!run || !d) {
    return null;
  }
  const etl = run.tags[ETL_RUN_TAG];
  return {
    digest: d.digest,
    source: d.source,
    from: d.from,
    to: d.to,
    rows: d.rows,
    etlRunId: etl === undefined || etl === '' ? null : etl,
  };
};

/**
 * Each version with the data set its run trained on: the runs of a model come from one search of its
 * experiment; a run the search did not return (older than its page) is read by id.
 */
export async function withDatasets(
  deps: Pick<ServiceDeps, 'tracker'>,
  name: string,
  versions: readonly ModelVersion[],
): Promise<(ModelVersion & { dataset: VersionDataset | null })[]> {
  const parsed = parseModelName(name);
  const runs = new Map<string, TrackedRun>();
  if (parsed) {
    const found = await deps.tracker
      .searchRuns({
        experimentNames: [name],
        tags: { 'stockops.ticker': parsed.symbol },
        limit: 1000,
      })
      .catch(() => []);
    for (const r of found) {
      runs.set(r.id, r);
    }
  }
  return Promise.all(
    versions.map(async (v) => {
      let run = runs.get(v.runId);
      if (!run) {
        run = await deps.tracker.getRun(v.runId).catch(() => undefined);
      }
      return { ...v, dataset: datasetOf(run) };
    }),
  );
}
