// marketOf: the exchange and currency a Yahoo symbol's suffix stands for.
import { describe, expect, it } from 'vitest';
import { marketOf } from './market.js';

describe('marketOf', () => {
  it('reads the exchange and currency from the symbol Yahoo uses', () => {
    expect(marketOf('AAPL')).toEqual({ exchange: 'NYSE/Nasdaq', currency: 'USD' });
    expect(marketOf('2330.TW')).toEqual({ exchange: 'TWSE', currency: 'TWD' });
    expect(marketOf('6488.two')).toEqual({ exchange: 'TPEx', currency: 'TWD' });
    expect(marketOf('^GSPC')).toEqual({ exchange: 'Index', currency: 'USD' });
    expect(marketOf('^TWII')).toEqual({ exchange: 'Index', currency: 'TWD' });
    expect(marketOf('EURUSD=X')).toEqual({ exchange: 'FX', currency: 'USD' });
    expect(marketOf('7203.T')).toEqual({ exchange: 'TSE', currency: 'JPY' });
  });

  it('says an unknown suffix is unknown rather than guessing dollars', () => {
    expect(marketOf('ABC.XYZ')).toEqual({ exchange: 'XYZ', currency: 'unknown' });
  });
});
