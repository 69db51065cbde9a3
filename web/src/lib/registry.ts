// Lookups over the model registry's answer (/api/models): the version a run registered, the champion of a model.
import type { ModelVersionInfo, RegisteredModelInfo } from '@stockops/api';

/**
 * Registered versions by the tracked run that produced them. A run's own tags do not always say
 * (the first-start bootstrap registers without tagging its run), while the registry always records
 * the run of each version.
 */
export function versionsByRun(
  models: readonly RegisteredModelInfo[] | undefined,
): Map<string, ModelVersionInfo> {
  const out = new Map<string, ModelVersionInfo>();
  for (const m of models ?? []) {
    for (const v of m.versions) {
      out.set(v.runId, v);
    }
  }
  return out;
}

/** The version `champion` points at, if any. */
export function championVersion(model: Pick<RegisteredModelInfo, 'aliases'>): number | undefined {
  return model.aliases.champion;
}

/**
 * The version the promote form offers first: the newest that is not already champion, so the
 * button does something when pressed; the champion itself when it is the only version.
 */
export function defaultPromoteTarget(
  versions: readonly number[],
  champion: number | undefined,
): number | undefined {
  const newestFirst = [...versions].sort((a, b) => b - a);
  return newestFirst.find((v) => v !== champion) ?? newestFirst[0];
}
