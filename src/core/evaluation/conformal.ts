// Conformal prediction intervals from out-of-sample residuals, kept calibrated online by adaptive conformal inference.
import { InvalidInputError } from '../errors/index.js';

export interface ConformalOptions {
  /**
   * Nominal coverage levels of the intervals.
   * @defaultValue [0.8, 0.95]
   */
  levels?: readonly number[];
  /**
   * Step size of adaptive conformal inference (Gibbs & Candes 2021, who use 0.005): how fast the
   * working miscoverage rate reacts to misses.
   * @defaultValue 0.005
   */
  gamma?: number;
  /**
   * Most recent absolute residuals kept as calibration scores: long enough for a stable 95% quantile,
   * short enough to follow volatility regimes.
   * @defaultValue 500
   */
  window?: number;
  /**
   * Scores needed before any interval is issued.
   * @defaultValue 30
   */
  minScores?: number;
}

/** Everything the calibrator knows, as plain JSON: stored beside a model version and replayed on serving. */
export interface ConformalState {
  levels: number[];
  /** Working miscoverage rate per level (alpha_t), moved by every outcome. */
  alphaT: number[];
  gamma: number;
  window: number;
  minScores: number;
  /** Absolute out-of-sample residuals, oldest first. */
  scores: number[];
  /** Date of the last row whose outcome has been folded in; serving replays rows after it. */
  lastDate: string | null;
  /** Outcomes folded in so far. */
  updates: number;
}

export interface PredictionInterval {
  level: number;
  lower: number;
  upper: number;
}

export const DEFAULT_LEVELS: readonly number[] = [0.8, 0.95];

/**
 * Adaptive conformal inference (Gibbs & Candes, "Adaptive Conformal Inference Under Distribution
 * Shift", NeurIPS 2021) on symmetric absolute-residual scores. For each level the half-width is the
 * ceil((n + 1)(1 - alpha_t))-th smallest of the last n scores; after each outcome
 * alpha_t += gamma * (alpha - miss). When alpha_t <= 0 the rule asks for an infinite interval; this
 * implementation issues the largest score instead, so widths stay finite (coverage is then slightly
 * below what the rule would give, and alpha_t keeps falling until misses stop).
 */
export class AdaptiveConformal {
  private readonly state: ConformalState;
  /** The scores kept sorted for quantiles (rebuilt from `scores` on load). */
  private readonly sorted: number[];

  private constructor(state: ConformalState) {
    this.state = state;
    this.sorted = [...state.scores].sort((a, b) => a - b);
  }

  static create(options: ConformalOptions = {}): AdaptiveConformal {
    const levels = [...(options.levels ?? DEFAULT_LEVELS)];
    for (const l of levels) {
      if (!(l > 0 && l < 1)) {
        throw new InvalidInputError('conformal.levels', `expected levels in (0, 1), found ${l}`);
      }
    }
    return new AdaptiveConformal({
      levels,
      alphaT: levels.map((l) => 1 - l),
      gamma: options.gamma ?? 0.005,
      window: options.window ?? 500,
      minScores: options.minScores ?? 30,
      scores: [],
      lastDate: null,
      updates: 0,
    });
  }

  static fromJSON(state: ConformalState): AdaptiveConformal {
    return new AdaptiveConformal({
      ...state,
      alphaT: [...state.alphaT],
      scores: [...state.scores],
    });
  }

  toJSON(): ConformalState {
    return { ...this.state, alphaT: [...this.state.alphaT], scores: [...this.state.scores] };
  }

  get levels(): readonly number[] {
    return this.state.levels;
  }

  get lastDate(): string | null {
    return this.state.lastDate;
  }

  /** Half-width per level for the next prediction, or null while there are too few scores. */
  halfWidths(): number[] | null {
    const n = this.sorted.length;
    if (n < this.state.minScores || n === 0) {
      return null;
    }
    return this.state.alphaT.map((a) => {
      const rank = Math.min(n, Math.max(1, Math.ceil((n + 1) * (1 - a))));
      return this.sorted[rank - 1] ?? 0;
    });
  }

  /** Intervals around a prediction, or [] while calibrating. */
  intervals(predicted: number): PredictionInterval[] {
    const hw = this.halfWidths();
    if (!hw) {
      return [];
    }
    return this.state.levels.map((level, k) => ({
      level,
      lower: predicted - (hw[k] ?? 0),
      upper: predicted + (hw[k] ?? 0),
    }));
  }

  /**
   * Folds in the outcome of a prediction whose intervals had half-widths `issued` (null when none
   * were issued: the score still calibrates, but there was no miss or hit to learn from).
   */
  update(residual: number, issued: readonly number[] | null, date: string): void {
    const s = this.state;
    const score = Math.abs(residual);
    if (issued) {
      s.alphaT = s.alphaT.map((a, k) => {
        const miss = score > (issued[k] ?? Number.POSITIVE_INFINITY) ? 1 : 0;
        return a + s.gamma * (1 - (s.levels[k] ?? 0) - miss);
      });
    }
    s.scores.push(score);
    insertSorted(this.sorted, score);
    if (s.scores.length > s.window) {
      const old = s.scores.shift() ?? 0;
      removeSorted(this.sorted, old);
    }
    s.lastDate = date;
    s.updates++;
  }
}

function lowerBound(a: readonly number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] ?? 0) < v) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

function insertSorted(a: number[], v: number): void {
  a.splice(lowerBound(a, v), 0, v);
}

function removeSorted(a: number[], v: number): void {
  const at = lowerBound(a, v);
  if (a[at] === v) {
    a.splice(at, 1);
  }
}

export interface ConformalRow {
  date: string;
  predicted: number;
  actual: number;
}

/**
 * Walks consecutive rows in date order, issuing each row's intervals before its outcome is known:
 * the outcome of row j (its h-day return) is only known h rows later, so it is folded in just
 * before row j + h is issued, never earlier. Rows still pending at the end are folded in last, as
 * their outcomes are known by then (every row passed in has a label).
 * Returns the half-widths issued for each row (null while calibrating).
 */
export function conformalWalk(
  aci: AdaptiveConformal,
  rows: readonly ConformalRow[],
  horizon: number,
): (number[] | null)[] {
  const issued: (number[] | null)[] = [];
  let next = 0;
  for (let i = 0; i < rows.length; i++) {
    for (; next <= i - horizon; next++) {
      const r = rows[next];
      if (r) {
        aci.update(r.actual - r.predicted, issued[next] ?? null, r.date);
      }
    }
    issued.push(aci.halfWidths());
  }
  for (; next < rows.length; next++) {
    const r = rows[next];
    if (r) {
      aci.update(r.actual - r.predicted, issued[next] ?? null, r.date);
    }
  }
  return issued;
}

export interface IntervalMetrics {
  level: number;
  /** Rows that had an interval (rows before calibration have none). */
  n: number;
  /** Share of those rows whose realised return fell inside the interval. */
  coverage: number;
  /** Mean interval width, in log-return units. */
  meanWidth: number;
}

/** Empirical coverage and mean width per level over rows that had intervals. */
export function intervalMetrics(
  levels: readonly number[],
  rows: readonly ConformalRow[],
  issued: readonly (number[] | null)[],
): IntervalMetrics[] {
  return levels.map((level, k) => {
    let n = 0;
    let hits = 0;
    let width = 0;
    rows.forEach((r, i) => {
      const hw = issued[i]?.[k];
      if (hw === undefined) {
        return;
      }
      n++;
      width += 2 * hw;
      if (Math.abs(r.actual - r.predicted) <= hw) {
        hits++;
      }
    });
    return {
      level,
      n,
      coverage: n > 0 ? hits / n : Number.NaN,
      meanWidth: n > 0 ? width / n : Number.NaN,
    };
  });
}
