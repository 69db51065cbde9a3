// Conformal prediction intervals from out-of-sample residuals, kept calibrated online by adaptive conformal inference.
import { InvalidInputError } from '../errors/index.js';

/**
 * How a residual becomes a conformal score. `volatility`: |residual| / (sigma_t * sqrt(h)), with sigma_t
 * the daily volatility known when the forecast was made, so an interval is prediction +- q * sigma_t *
 * sqrt(h) and widens in turbulent markets and narrows in calm ones. `absolute`: |residual|, one width for
 * every regime (the method of files written before scaled scores).
 */
export type ConformalMethod = 'absolute' | 'volatility';

export const CONFORMAL_METHODS: readonly ConformalMethod[] = ['absolute', 'volatility'];

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
   * Most recent scores kept for calibration. Absolute residuals need a window short enough to follow
   * volatility regimes (500 sessions, two years); volatility-scaled scores carry no regime, so a
   * longer window (1000 sessions) steadies the 95% quantile without going stale, which matters most at
   * h = 20, where 1000 overlapping 20-day outcomes hold only about 50 independent ones.
   * @defaultValue 1000 for `volatility`, 500 for `absolute`
   */
  window?: number;
  /**
   * Scores needed before any interval is issued.
   * @defaultValue 30
   */
  minScores?: number;
  /**
   * Scores scaled by the volatility known at forecast time, or absolute residuals.
   * @defaultValue 'volatility'
   */
  method?: ConformalMethod;
  /**
   * How far the working miscoverage rate may move from nominal: alpha_t stays in
   * [alpha / clamp, max(alpha, min(clamp * alpha, 0.5))], so a run of misses cannot ask for an
   * infinite interval (95%: at most the 98.75% quantile) and a run of hits cannot shrink one below
   * a coin flip (80%: at least the 50% quantile).
   * @defaultValue 4
   */
  clamp?: number;
}

/** Everything the calibrator knows, as plain JSON: stored beside a model version and replayed on serving. */
export interface ConformalState {
  levels: number[];
  /** Working miscoverage rate per level (alpha_t), moved by every outcome. */
  alphaT: number[];
  gamma: number;
  window: number;
  minScores: number;
  /** Scores of the most recent outcomes, oldest first (absolute residuals, or scaled: see `method`). */
  scores: number[];
  /** Date of the last row whose outcome has been folded in; serving replays rows after it. */
  lastDate: string | null;
  /** Outcomes folded in so far. */
  updates: number;
  /** Absent in files written before scaled scores, which hold absolute residuals. */
  method?: ConformalMethod;
  /** Trading days a residual spans: the volatility scale is sigma_t * sqrt(horizon). Absent: 1. */
  horizon?: number;
  /** [lower, upper] bounds of alpha_t per level. Absent in older files: those of the default clamp. */
  alphaBounds?: [number, number][];
}

export interface PredictionInterval {
  level: number;
  lower: number;
  upper: number;
}

export const DEFAULT_LEVELS: readonly number[] = [0.8, 0.95];
export const DEFAULT_CONFORMAL_METHOD: ConformalMethod = 'volatility';
export const DEFAULT_ALPHA_CLAMP = 4;

/** The clamp of alpha_t for a level (see `ConformalOptions.clamp`). */
export function alphaBounds(level: number, clamp = DEFAULT_ALPHA_CLAMP): [number, number] {
  const alpha = 1 - level;
  return [alpha / clamp, Math.max(alpha, Math.min(clamp * alpha, 0.5))];
}

const clampTo = (x: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, x));

/**
 * Adaptive conformal inference (Gibbs & Candes, "Adaptive Conformal Inference Under Distribution
 * Shift", NeurIPS 2021) on symmetric scores. For each level the score quantile q is the
 * ceil((n + 1)(1 - alpha_t))-th smallest of the last n scores, and the half-width is q (absolute) or
 * q * sigma_t * sqrt(h) (volatility); after each outcome alpha_t += gamma * (alpha - miss), then is
 * clamped to its bounds. Unclamped, a long run of misses drives alpha_t below 0, where the rule asks
 * for an infinite interval (this code used to issue the largest score then: after the 2020 crash the
 * S&P 500's 95% half-width was six times the 80% one); clamped, the width stays finite and returns
 * to normal as soon as misses stop, at the price of the exact long-run coverage guarantee during such
 * a run.
 */
export class AdaptiveConformal {
  private readonly state: ConformalState;
  /** The scores kept sorted for quantiles (rebuilt from `scores` on load). */
  private readonly sorted: number[];
  private readonly bounds: [number, number][];

  private constructor(
    state: ConformalState,
    sorted?: number[],
    bounds?: readonly [number, number][],
  ) {
    this.state = state;
    this.sorted = sorted ?? [...state.scores].sort((a, b) => a - b);
    this.bounds = bounds
      ? [...bounds]
      : (state.alphaBounds ?? state.levels.map((l) => alphaBounds(l)));
  }

  static create(options: ConformalOptions = {}, horizon = 1): AdaptiveConformal {
    const levels = [...(options.levels ?? DEFAULT_LEVELS)];
    for (const l of levels) {
      if (!(l > 0 && l < 1)) {
        throw new InvalidInputError('conformal.levels', `expected levels in (0, 1), found ${l}`);
      }
    }
    const clamp = options.clamp ?? DEFAULT_ALPHA_CLAMP;
    if (!(clamp >= 1)) {
      throw new InvalidInputError('conformal.clamp', `expected a number >= 1, found ${clamp}`);
    }
    const method = options.method ?? DEFAULT_CONFORMAL_METHOD;
    return new AdaptiveConformal({
      levels,
      alphaT: levels.map((l) => 1 - l),
      gamma: options.gamma ?? 0.005,
      window: options.window ?? (method === 'volatility' ? 1000 : 500),
      minScores: options.minScores ?? 30,
      scores: [],
      lastDate: null,
      updates: 0,
      method,
      horizon,
      alphaBounds: levels.map((l) => alphaBounds(l, clamp)),
    });
  }

  static fromJSON(state: ConformalState): AdaptiveConformal {
    return new AdaptiveConformal({
      ...state,
      alphaT: [...state.alphaT],
      scores: [...state.scores],
    });
  }

  /**
   * An independent calibrator in the same state, without sorting the scores again: serving keeps one per
   * version and copies it for each forecast that replays new outcomes (sorting a thousand scores per request
   * was a tenth of a forecast's time with the serving cache off).
   */
  copy(): AdaptiveConformal {
    return new AdaptiveConformal(
      { ...this.state, alphaT: [...this.state.alphaT], scores: [...this.state.scores] },
      [...this.sorted],
      this.bounds,
    );
  }

  toJSON(): ConformalState {
    return {
      ...this.state,
      alphaT: [...this.state.alphaT],
      scores: [...this.state.scores],
      method: this.method,
      horizon: this.state.horizon ?? 1,
      alphaBounds: this.bounds.map(([lo, hi]) => [lo, hi]),
    };
  }

  get levels(): readonly number[] {
    return this.state.levels;
  }

  get lastDate(): string | null {
    return this.state.lastDate;
  }

  get method(): ConformalMethod {
    return this.state.method ?? 'absolute';
  }

  /** The working miscoverage rate per level, inside its bounds. */
  get alphas(): number[] {
    return this.state.alphaT.map((a, k) => clampTo(a, this.bounds[k] ?? [a, a]));
  }

  /**
   * What a score of 1 means in log-return units for a forecast made when the daily volatility was
   * `sigma`: 1 for absolute scores; sigma * sqrt(h) for scaled ones, or null when sigma is unknown.
   */
  scale(sigma: number): number | null {
    if (this.method === 'absolute') {
      return 1;
    }
    return sigma > 0 && Number.isFinite(sigma) ? sigma * Math.sqrt(this.state.horizon ?? 1) : null;
  }

  /** The score quantile per level for the next prediction, or null while there are too few scores. */
  quantiles(): number[] | null {
    const n = this.sorted.length;
    if (n < this.state.minScores || n === 0) {
      return null;
    }
    return this.alphas.map((a) => {
      const rank = Math.min(n, Math.max(1, Math.ceil((n + 1) * (1 - a))));
      return this.sorted[rank - 1] ?? 0;
    });
  }

  /**
   * Half-width per level (log-return units) for a forecast made when the daily volatility is `sigma`
   * (ignored by absolute scores), or null while calibrating or when sigma is unknown.
   */
  halfWidths(sigma = Number.NaN): number[] | null {
    const q = this.quantiles();
    const scale = this.scale(sigma);
    return q && scale !== null ? q.map((x) => x * scale) : null;
  }

  /** Intervals around a prediction, or [] while calibrating. */
  intervals(predicted: number, sigma = Number.NaN): PredictionInterval[] {
    const hw = this.halfWidths(sigma);
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
   * were issued: the score still calibrates, but there was no miss or hit to learn from), made when
   * the daily volatility was `sigma`.
   */
  update(
    residual: number,
    issued: readonly number[] | null,
    date: string,
    sigma = Number.NaN,
  ): void {
    const s = this.state;
    const abs = Math.abs(residual);
    if (issued) {
      s.alphaT = s.alphaT.map((a, k) => {
        const miss = abs > (issued[k] ?? Number.POSITIVE_INFINITY) ? 1 : 0;
        const next = a + s.gamma * (1 - (s.levels[k] ?? 0) - miss);
        return clampTo(next, this.bounds[k] ?? [next, next]);
      });
    }
    const scale = this.scale(sigma);
    if (scale !== null && Number.isFinite(abs)) {
      const score = abs / scale;
      s.scores.push(score);
      insertSorted(this.sorted, score);
      if (s.scores.length > s.window) {
        const old = s.scores.shift() ?? 0;
        removeSorted(this.sorted, old);
      }
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
  /** Daily volatility known at the row's date; volatility-scaled scores need it. */
  sigma?: number;
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
  const fold = (j: number) => {
    const r = rows[j];
    if (r) {
      aci.update(r.actual - r.predicted, issued[j] ?? null, r.date, r.sigma);
    }
  };
  for (let i = 0; i < rows.length; i++) {
    for (; next <= i - horizon; next++) {
      fold(next);
    }
    issued.push(aci.halfWidths(rows[i]?.sigma));
  }
  for (; next < rows.length; next++) {
    fold(next);
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
  /** Mean interval width as a fraction of the price the forecast was made from: (upper - lower) / close_t. */
  widthFraction: number;
  /**
   * Mean interval (Winkler) score as a fraction of that price: the width, plus 2 / alpha times the
   * distance by which the realised price fell outside (Gneiting & Raftery 2007). Lower is better; it
   * rewards narrow intervals and punishes misses in proportion to how far they miss.
   */
  intervalScore: number;
}

/** Coverage, mean width and interval score per level over rows that had intervals. */
export function intervalMetrics(
  levels: readonly number[],
  rows: readonly ConformalRow[],
  issued: readonly (number[] | null)[],
): IntervalMetrics[] {
  return levels.map((level, k) => {
    const alpha = 1 - level;
    let n = 0;
    let hits = 0;
    let width = 0;
    let widthFraction = 0;
    let score = 0;
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
      // Prices relative to close_t: the interval is [e^(p - hw), e^(p + hw)], the outcome e^y.
      const lower = Math.exp(r.predicted - hw);
      const upper = Math.exp(r.predicted + hw);
      const y = Math.exp(r.actual);
      widthFraction += upper - lower;
      score +=
        upper - lower + (2 / alpha) * Math.max(0, lower - y) + (2 / alpha) * Math.max(0, y - upper);
    });
    return {
      level,
      n,
      coverage: n > 0 ? hits / n : Number.NaN,
      meanWidth: n > 0 ? width / n : Number.NaN,
      widthFraction: n > 0 ? widthFraction / n : Number.NaN,
      intervalScore: n > 0 ? score / n : Number.NaN,
    };
  });
}

/** Interval metrics over one third of the test days, sorted by the volatility known when each forecast was made. */
export interface VolatilityThird {
  /** Rows in the third. */
  n: number;
  /** Lowest and highest daily volatility in the third. */
  sigmaFrom: number;
  sigmaTo: number;
  intervals: IntervalMetrics[];
}

export interface VolatilityThirds {
  low: VolatilityThird;
  mid: VolatilityThird;
  high: VolatilityThird;
}

/**
 * The rows that had intervals and a known volatility, sorted by that volatility (ties in date order)
 * and cut into thirds at ranks n/3 and 2n/3, with the interval metrics of each: a method calibrated
 * only on average over-covers calm days and under-covers turbulent ones, which these numbers show.
 */
export function volatilityThirds(
  levels: readonly number[],
  rows: readonly ConformalRow[],
  issued: readonly (number[] | null)[],
): VolatilityThirds {
  const ranked = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r, i }) => issued[i] && r.sigma !== undefined && Number.isFinite(r.sigma))
    .sort((a, b) => (a.r.sigma ?? 0) - (b.r.sigma ?? 0) || a.i - b.i);
  const n = ranked.length;
  const third = (t: 0 | 1 | 2): VolatilityThird => {
    const part = ranked.slice(Math.floor((t * n) / 3), Math.floor(((t + 1) * n) / 3));
    return {
      n: part.length,
      sigmaFrom: part[0]?.r.sigma ?? Number.NaN,
      sigmaTo: part.at(-1)?.r.sigma ?? Number.NaN,
      intervals: intervalMetrics(
        levels,
        part.map((p) => p.r),
        part.map((p) => issued[p.i] ?? null),
      ),
    };
  };
  return { low: third(0), mid: third(1), high: third(2) };
}
