// What the services announce on the event bus, when one is configured: served forecasts, alias moves, data loads.
// Publishing is fire-and-forget (the bus buffers, batches and counts drops), so announcing never slows or fails the work.
import {
  makeEvent,
  type DataLoaded,
  type EventBus,
  type ModelAliasMoved,
  type ServedSink,
} from '../core/index.js';
import type { ServiceDeps } from './deps.js';

/**
 * The bus as one more place served forecasts go (beside the forecast log): each becomes a
 * `prediction.served` event with the fields of a forecast-log row and the process that served it.
 */
export function servedOnBus(events: EventBus, instanceId: string): ServedSink {
  return {
    served: (f) => {
      events.publish(
        makeEvent('prediction.served', {
          ticker: f.ticker,
          horizon: f.horizon,
          asOf: f.asOf,
          targetDate: f.targetDate,
          model: { ...f.model },
          predictedReturn: f.predictedReturn,
          predictedClose: f.predictedClose,
          lastClose: f.lastClose,
          intervals: [...f.intervals],
          servedAt: f.servedAt,
          via: f.via,
          instance: instanceId,
        }),
      );
    },
  };
}

export function announceAliasMove(deps: Pick<ServiceDeps, 'events'>, move: ModelAliasMoved): void {
  deps.events?.publish(makeEvent('model.alias-moved', move));
}

export function announceDataLoaded(deps: Pick<ServiceDeps, 'events'>, loaded: DataLoaded): void {
  deps.events?.publish(makeEvent('data.loaded', loaded));
}
