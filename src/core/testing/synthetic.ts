// Deterministic synthetic price series for tests (a seeded random walk with volume); not part of the product surface.
import type { Bar } from '../data/index.js';
import { addDays, dayOfWeek } from '../data/index.js';
import { mulberry32 } from '../models/index.js';

/** The models' seeded generator (Mulberry32), under the name the tests use for their data. */
export const seededRandom: (seed: number) => () => number = mulberry32;

export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Weekday bars from a random walk of log returns with the given daily volatility. */
export function randomWalkBars(n: number, seed = 1, start = '2010-01-04', vol = 0.01): Bar[] {
  const rand = seededRandom(seed);
  const bars: Bar[] = [];
  let price = 100;
  let date = start;
  while (bars.length < n) {
    if (dayOfWeek(date) !== 0 && dayOfWeek(date) !== 6) {
      const open = price;
      price = price * Math.exp(vol * gaussian(rand));
      const high = Math.max(open, price) * (1 + 0.003 * rand());
      const low = Math.min(open, price) * (1 - 0.003 * rand());
      bars.push({
        date,
        open,
        high,
        low,
        close: price,
        adjClose: price,
        volume: Math.round(1e6 * (0.5 + rand())),
      });
    }
    date = addDays(date, 1);
  }
  return bars;
}
