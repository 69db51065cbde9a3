// Links into the MLflow UI for runs and model versions, when MLflow is the tracking backend.
import type { Run, TrackingInfo } from '@stockops/api';

export function mlflowRunUrl(
  t: TrackingInfo | undefined,
  run: Pick<Run, 'id' | 'experimentId'>,
): string | undefined {
  return t?.mlflowUrl
    ? `${t.mlflowUrl}/#/experiments/${run.experimentId}/runs/${run.id}`
    : undefined;
}

export function mlflowVersionUrl(
  t: TrackingInfo | undefined,
  name: string,
  version: number,
): string | undefined {
  return t?.mlflowUrl
    ? `${t.mlflowUrl}/#/models/${encodeURIComponent(t.namePrefix + name)}/versions/${version}`
    : undefined;
}
