// The monitoring reference of a new model version, computed from the fit that made it and stored beside the model as `monitoring/reference.json`.
import {
  ArtifactNotFoundError,
  buildMonitoringReference,
  DEFAULT_MONITORING_SETTINGS,
  readMonitoringReference,
  type MonitoringReference,
} from '../core/index.js';
import type { ServiceDeps } from './deps.js';
import type { FitOutcome } from './model-fit.js';

/** Where a run keeps its monitoring reference, beside `model/model.json`. */
export const MONITORING_REFERENCE_ARTIFACT = 'monitoring/reference.json';

/**
 * The reference of a fit: a sample of the rows the final model was fitted on (their features and realised
 * returns), the final model's predictions on them, the walk-forward's out-of-sample predictions, and the
 * thresholds the settings give new versions.
 */
export function referenceOfFit(
  deps: Pick<ServiceDeps, 'monitoring'>,
  input: { ticker: string; horizon: number },
  fit: Pick<FitOutcome, 'built' | 'final' | 'report'>,
): MonitoringReference {
  const settings = deps.monitoring ?? DEFAULT_MONITORING_SETTINGS;
  return buildMonitoringReference({
    ticker: input.ticker,
    horizon: input.horizon,
    model: fit.final.kind,
    labeled: fit.built.labeled,
    predict: (rows) => fit.final.predict(rows),
    outOfSample: fit.report.predictions.map((p) => p.predicted),
    thresholds: settings.thresholds,
    maxRows: settings.referenceRows,
  });
}

/** Writes the reference of a fit as its run's artifact. */
export async function logMonitoringReference(
  deps: Pick<ServiceDeps, 'tracker' | 'monitoring'>,
  runId: string,
  input: { ticker: string; horizon: number },
  fit: Pick<FitOutcome, 'built' | 'final' | 'report'>,
): Promise<MonitoringReference> {
  const reference = referenceOfFit(deps, input, fit);
  await deps.tracker.logArtifact(
    runId,
    MONITORING_REFERENCE_ARTIFACT,
    new TextEncoder().encode(JSON.stringify(reference)),
  );
  return reference;
}

/** A version's stored reference, or null for a version trained before references were kept. */
export async function readVersionReference(
  deps: Pick<ServiceDeps, 'tracker'>,
  runId: string,
): Promise<MonitoringReference | null> {
  let bytes: Uint8Array;
  try {
    bytes = await deps.tracker.getArtifact(runId, MONITORING_REFERENCE_ARTIFACT);
  } catch (e) {
    if (e instanceof ArtifactNotFoundError) {
      return null;
    }
    throw e;
  }
  return readMonitoringReference(JSON.parse(new TextDecoder().decode(bytes)) as unknown);
}
