import { describe, expect, it } from 'vitest';
import {
  errorFromJSON,
  errorToJSON,
  InsufficientHistoryError,
  InvalidInputError,
  isRetryable,
  isStockopsError,
  SourceError,
  StockopsError,
  StoreBusyError,
} from './index.js';

// Plain data on the way, as a worker thread's postMessage carries it.
const roundTrip = (e: unknown) => errorFromJSON(structuredClone(errorToJSON(e)));

describe('errorToJSON / errorFromJSON', () => {
  it('gives a domain error back with its class, code, details and message', () => {
    const e = roundTrip(new InsufficientHistoryError('AB', 132, 100));
    expect(e).toBeInstanceOf(InsufficientHistoryError);
    expect(e).toBeInstanceOf(StockopsError);
    expect(isStockopsError(e) && [e.name, e.code, e.details, e.message]).toEqual([
      'InsufficientHistoryError',
      'INSUFFICIENT_HISTORY',
      { symbol: 'AB', needed: 132, found: 100 },
      'Ticker "AB" has 100 usable rows; at least 132 are needed.',
    ]);
    const s = roundTrip(new SourceError('rate_limited', 'AB', 'slow down'));
    expect(s).toBeInstanceOf(SourceError);
    expect(s instanceof SourceError && s.kind).toBe('rate_limited');
  });

  it('keeps built-in error classes and a code on other errors, never inventing a domain class', () => {
    expect(roundTrip(new TypeError('bad'))).toBeInstanceOf(TypeError);
    const coded = roundTrip(Object.assign(new Error('x'), { code: 'TASK_FAILED' }));
    expect(isStockopsError(coded)).toBe(false);
    expect((coded as Error & { code?: string }).code).toBe('TASK_FAILED');
    expect(roundTrip('a string').message).toBe('a string');
  });
});

describe('isRetryable', () => {
  it('retries what may pass next time and not what cannot', () => {
    expect(isRetryable(new Error('socket hang up'))).toBe(true);
    expect(isRetryable(new StoreBusyError('busy'))).toBe(true);
    expect(isRetryable(new SourceError('rate_limited', 'AAPL', '429'))).toBe(true);
    expect(isRetryable(new SourceError('not_found', 'NOPE', 'no such symbol'))).toBe(false);
    expect(isRetryable(new InsufficientHistoryError('X', 132, 65))).toBe(false);
    expect(isRetryable(new InvalidInputError('horizon', 'must be 1, 5 or 20'))).toBe(false);
  });
});
