// toSeries: the ordering rule every price series is built under.
import { describe, expect, it } from 'vitest';
import { randomWalkBars } from '../testing/index.js';
import { toSeries } from './bar.js';

describe('toSeries', () => {
  it('refuses bars that are not strictly increasing by date, saying where', () => {
    const bars = randomWalkBars(5, 1, '2024-01-01');
    const swapped = [bars[0], bars[2], bars[1], bars[3], bars[4]].flatMap((b) => (b ? [b] : []));
    expect(() => toSeries('AB', swapped)).toThrow(
      expect.objectContaining({
        code: 'BARS_OUT_OF_ORDER',
        message: `Bars of AB must be strictly increasing by date; found ${bars[1]?.date ?? ''} after ${bars[2]?.date ?? ''} at index 2.`,
      }) as Error,
    );
    expect(toSeries('AB', bars).dates).toHaveLength(5);
  });
});
