// Splits a file did not adjust for: a close-to-close jump by a common split ratio while the adjusted close is continuous.
import type { Bar } from './bar.js';

/** Ratios companies split by (new shares : old shares), forward and reverse. */
export const COMMON_SPLIT_RATIOS: readonly (readonly [number, number])[] = [
  [2, 1],
  [3, 1],
  [4, 1],
  [5, 1],
  [6, 1],
  [7, 1],
  [8, 1],
  [10, 1],
  [15, 1],
  [20, 1],
  [3, 2],
  [5, 2],
  [5, 4],
  [1, 2],
  [1, 3],
  [1, 4],
  [1, 5],
  [1, 8],
  [1, 10],
  [1, 15],
  [1, 20],
  [1, 25],
  [1, 50],
  [2, 3],
  [4, 5],
];

/** A split found in the data itself, and how many earlier bars were put in the post-split share basis. */
export interface InferredSplit {
  date: string;
  numerator: number;
  denominator: number;
  /** Bars before `date` whose prices were divided (volume multiplied) by numerator / denominator. */
  adjustedBars: number;
}

/**
 * Largest daily move of the adjusted close still called continuous (|log return| 0.15, about +-15%): a split day's
 * own market move is small, while the unadjusted close moves by ln 1.25 = 0.22 at least (5:4).
 */
const CONTINUOUS = 0.15;
/** How close the implied ratio must be to a common one (|log| 0.03, 3%): covers each column's own rounding. */
const MATCH = 0.03;

/**
 * Finds the days on which the close moves by a common split ratio beyond what the adjusted close moved, while the
 * adjusted close is continuous: the file's closes are in pre-split shares before that day (a CSV exported with
 * unadjusted prices but an adjusted close). The implied ratio is the close's move net of the market's (adjusted) move.
 */
export function findUnadjustedSplits(bars: readonly Bar[]): Omit<InferredSplit, 'adjustedBars'>[] {
  const found: Omit<InferredSplit, 'adjustedBars'>[] = [];
  for (let i = 1; i < bars.length; i++) {
    const p = bars[i - 1];
    const b = bars[i];
    if (!p || !b) {
      continue;
    }
    const market = Math.log(b.adjClose / p.adjClose);
    if (!(Math.abs(market) <= CONTINUOUS)) {
      continue;
    }
    // close_prev / close = ratio / exp(market) for a split of `ratio` on this day.
    const implied = Math.log(p.close / b.close) + market;
    if (!(Math.abs(implied) > 0.2)) {
      continue;
    }
    const match = COMMON_SPLIT_RATIOS.find(([n, d]) => Math.abs(implied - Math.log(n / d)) < MATCH);
    if (match) {
      found.push({ date: b.date, numerator: match[0], denominator: match[1] });
    }
  }
  return found;
}

/**
 * Puts the bars before each unadjusted split in the post-split share basis (prices divided, volume multiplied by the
 * ratio), so history and charts show no split as a crash. The adjusted close is left as it is: it was continuous.
 * Deterministic, so the cleaned series stays reproducible from the raw rows.
 */
export function adjustUnadjustedSplits(bars: readonly Bar[]): {
  bars: Bar[];
  splits: InferredSplit[];
} {
  const found = findUnadjustedSplits(bars);
  if (found.length === 0) {
    return { bars: [...bars], splits: [] };
  }
  const out = bars.map((b) => ({ ...b }));
  const splits: InferredSplit[] = [];
  for (const s of found) {
    const ratio = s.numerator / s.denominator;
    let adjustedBars = 0;
    for (const b of out) {
      if (b.date >= s.date) {
        break;
      }
      b.open /= ratio;
      b.high /= ratio;
      b.low /= ratio;
      b.close /= ratio;
      b.volume = b.volume === null ? null : b.volume * ratio;
      adjustedBars++;
    }
    splits.push({ ...s, adjustedBars });
  }
  return { bars: out, splits };
}
