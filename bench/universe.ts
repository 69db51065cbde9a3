// The benchmark universe: tickers block-bootstrapped from S&P 500 bars, draw for draw as bench/reference/universe.py.
import { addDays, dayOfWeek, mulberry32, type Bar } from '../src/core/index.js';

export interface UniverseConfig {
  tickers: number;
  days: number;
  blockLength: number;
  seed: number;
}

/** Ticker k: blocks of `blockLength` consecutive S&P days, prices rebuilt from their returns. */
export function universeBars(src: readonly Bar[], k: number, u: UniverseConfig): Bar[] {
  const rand = mulberry32(u.seed + k);
  const n = src.length;
  const picks: number[] = [];
  while (picks.length < u.days) {
    const start = 1 + Math.floor(rand() * (n - 1 - u.blockLength));
    for (let i = 0; i < u.blockLength; i++) {
      picks.push(start + i);
    }
  }
  const bars: Bar[] = [];
  let level = 100;
  let date = '2000-01-03';
  for (let i = 0; i < u.days; i++) {
    const s = src[picks[i] ?? 1];
    const prev = src[(picks[i] ?? 1) - 1];
    if (!s || !prev) {
      throw new Error('universe: pick out of range');
    }
    level = level * Math.exp(Math.log(s.adjClose / prev.adjClose));
    while (dayOfWeek(date) === 0 || dayOfWeek(date) === 6) {
      date = addDays(date, 1);
    }
    bars.push({
      date,
      open: level * (s.open / s.close),
      high: level * (s.high / s.close),
      low: level * (s.low / s.close),
      close: level,
      adjClose: level,
      volume: s.volume,
    });
    date = addDays(date, 1);
  }
  return bars;
}
