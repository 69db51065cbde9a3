// Data-quality checks on a cleaned series: calendar gaps, price jumps and OHLC consistency, recorded per ETL run.
import type { Bar } from './bar.js';
import { addDays } from './dates.js';
import type { InferredSplit } from './splits.js';

export type QualityStatus = 'pass' | 'warn' | 'fail';

export interface QualityCheck {
  symbol: string;
  check: 'gaps' | 'jumps' | 'ohlc' | 'splits';
  status: QualityStatus;
  /** How many findings (missing sessions, jumps, inconsistent bars). */
  count: number;
  /** The first findings, for a person to look at. */
  examples: string[];
}

export interface QualityOptions {
  /** The exchange calendar of the ticker: a trading day without a bar is a gap. */
  isTradingDay(date: string): boolean;
  /**
   * Absolute daily log return of the adjusted close above which a move is flagged; 0.25 is about +28% / -22%,
   * beyond any normal day of a large stock and far below an unadjusted 2:1 split (ln 2 = 0.69).
   * @defaultValue 0.25
   */
  jumpThreshold?: number;
  /** @defaultValue 5 */
  maxExamples?: number;
  /** Splits the cleaning found in the data and adjusted for (adjustUnadjustedSplits): reported as a warning. */
  splits?: readonly InferredSplit[];
}

export function qualityChecks(symbol: string, bars: readonly Bar[], options: QualityOptions): QualityCheck[] {
  const threshold = options.jumpThreshold ?? 0.25;
  const max = options.maxExamples ?? 5;
  const gaps: string[] = [];
  let missing = 0;
  const jumps: string[] = [];
  let jumpCount = 0;
  const ohlc: string[] = [];
  let ohlcCount = 0;
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i];
    if (!b) {
      continue;
    }
    const tol = 1e-6 * b.high;
    const ok =
      b.low > 0 &&
      b.high >= b.low &&
      b.open >= b.low - tol &&
      b.open <= b.high + tol &&
      b.close >= b.low - tol &&
      b.close <= b.high + tol &&
      b.adjClose > 0;
    if (!ok) {
      ohlcCount++;
      if (ohlc.length < max) {
        ohlc.push(`${b.date}: open ${b.open} high ${b.high} low ${b.low} close ${b.close}`);
      }
    }
    const p = i > 0 ? bars[i - 1] : undefined;
    if (!p) {
      continue;
    }
    const r = Math.log(b.adjClose / p.adjClose);
    if (Math.abs(r) > threshold) {
      jumpCount++;
      if (jumps.length < max) {
        jumps.push(`${p.date} -> ${b.date}: ${(100 * (Math.exp(r) - 1)).toFixed(1)}%`);
      }
    }
    let inGap = 0;
    for (let d = addDays(p.date, 1); d < b.date; d = addDays(d, 1)) {
      if (options.isTradingDay(d)) {
        inGap++;
      }
    }
    if (inGap > 0) {
      missing += inGap;
      if (gaps.length < max) {
        gaps.push(`${inGap} session(s) missing between ${p.date} and ${b.date}`);
      }
    }
  }
  const splits = options.splits ?? [];
  return [
    { symbol, check: 'gaps', status: missing > 0 ? 'warn' : 'pass', count: missing, examples: gaps },
    { symbol, check: 'jumps', status: jumpCount > 0 ? 'warn' : 'pass', count: jumpCount, examples: jumps },
    { symbol, check: 'ohlc', status: ohlcCount > 0 ? 'fail' : 'pass', count: ohlcCount, examples: ohlc },
    {
      symbol,
      check: 'splits',
      status: splits.length > 0 ? 'warn' : 'pass',
      count: splits.length,
      examples: splits
        .slice(0, max)
        .map(
          (s) =>
            `${s.date}: close moved by a ${s.numerator}:${s.denominator} split while the adjusted close was continuous; ` +
            `the ${s.adjustedBars} earlier bars were divided by ${+(s.numerator / s.denominator).toFixed(4)}`,
        ),
    },
  ];
}
