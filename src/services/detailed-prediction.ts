// The forecast serving computes and caches: the contract's prediction plus the pieces forecast paths are built from.
import type { TradingCalendar } from '../core/index.js';
import type { Prediction } from '../api/index.js';

/** The champion's forecast for one horizon, with the raw pieces forecast paths are built from. */
export interface DetailedPrediction extends Prediction {
  /** Interval half-widths in log-return units, per level (null while calibrating). */
  halfWidths: { level: number; halfWidth: number }[] | null;
  calendar: TradingCalendar;
}
