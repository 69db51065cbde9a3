import { describe, expect, it } from 'vitest';
import { identifier, quote, quoteDate, quoteSymbol } from './escape.js';

describe('quote (ClickHouse literals without query parameters)', () => {
  it('escapes backslashes and quotes so no input can end the literal', () => {
    expect(quote("it's")).toBe("'it\\'s'");
    expect(quote('a\\')).toBe("'a\\\\'");
    expect(quote("\\' OR 1=1 --")).toBe("'\\\\\\' OR 1=1 --'");
    expect(quote("'; DROP TABLE clean_bars; --")).toBe("'\\'; DROP TABLE clean_bars; --'");
  });

  it('writes control characters as \\xHH and keeps other text as it is', () => {
    expect(quote('a\nb\u0000c\u007f')).toBe("'a\\x0ab\\x00c\\x7f'");
    expect(quote('台積電 ^GSPC')).toBe("'台積電 ^GSPC'");
  });

  it('writes finite numbers and NULL, and refuses NaN and infinities', () => {
    expect(quote(1.5)).toBe('1.5');
    expect(quote(-2)).toBe('-2');
    expect(quote(null)).toBe('NULL');
    expect(() => quote(Number.NaN)).toThrow(/finite/);
    expect(() => quote(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });

  it('checks tickers against the symbol pattern before quoting them', () => {
    expect(quoteSymbol('2330.TW')).toBe("'2330.TW'");
    expect(quoteSymbol('^GSPC')).toBe("'^GSPC'");
    expect(() => quoteSymbol("AAPL' OR '1'='1")).toThrow(/not a ticker/);
    expect(() => quoteSymbol('aapl')).toThrow(/not a ticker/);
  });

  it('accepts only calendar dates and plain identifiers', () => {
    expect(quoteDate('2024-02-29')).toBe("toDate('2024-02-29')");
    expect(() => quoteDate('2023-02-29')).toThrow(/YYYY-MM-DD/);
    expect(() => quoteDate("2024-01-01') OR (1=1")).toThrow(/YYYY-MM-DD/);
    expect(identifier('stockops_test_1')).toBe('stockops_test_1');
    expect(() => identifier('db; DROP')).toThrow(/identifier/);
  });
});
