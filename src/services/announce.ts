// What the services announce on the event bus, when one is configured: served forecasts, alias moves, data loads.
// Publishing is fire-and-forget (the bus buffers, batches and counts drops), so announcing never slows or fails the work.
import { makeEvent, type DataLoaded, type ModelAliasMoved } from '../core/index.js';
import type { Prediction } from '../api/index.js';
import type { ServiceDeps } from './deps.js';

/** A forecast served to a client: the fields of a forecast-log row. */
export function announceServed(
  deps: Pick<ServiceDeps, 'events' | 'instanceId'>,
  p: Prediction,
  via: 'predict' | 'forecast',
): void {
  if (!deps.events) {
    return;
  }
  deps.events.publish(
    makeEvent('prediction.served', {
      ticker: p.ticker,
      horizon: p.horizon,
      asOf: p.asOf,
      targetDate: p.targetDate,
      model: {
        name: p.model.name,
        version: p.model.version,
        kind: p.model.kind,
        runId: p.model.runId,
        featureSet: p.model.featureSet,
      },
      predictedReturn: p.predictedReturn,
      predictedClose: p.predictedClose,
      lastClose: p.lastClose,
      intervals: p.interval,
      servedAt: Date.now(),
      via,
      instance: deps.instanceId ?? '',
    }),
  );
}

export function announceAliasMove(deps: Pick<ServiceDeps, 'events'>, move: ModelAliasMoved): void {
  deps.events?.publish(makeEvent('model.alias-moved', move));
}

export function announceDataLoaded(deps: Pick<ServiceDeps, 'events'>, loaded: DataLoaded): void {
  deps.events?.publish(makeEvent('data.loaded', loaded));
}
