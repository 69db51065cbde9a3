import { describe, expect, it } from 'vitest';
import {
  BarsOutOfOrderError,
  errorFromJSON,
  errorToJSON,
  FeatureMismatchError,
  FlowCatalogError,
  InsufficientHistoryError,
  InternalError,
  InvalidInputError,
  InvalidModelError,
  isRetryable,
  isStockopsError,
  JobTimeoutError,
  MissingLabelsError,
  ModelNotFittedError,
  NoHandlerError,
  ResourceClosedError,
  SingularMatrixError,
  SourceError,
  StockopsError,
  StoreBusyError,
  TooManyRowsError,
  UnknownFeatureSetError,
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

/** One of each error class added with the codes below, as the code that throws them builds them. */
const NEWER_ERRORS: readonly StockopsError[] = [
  new InvalidModelError('state.forest.trees[0].left[0]', 'an integer from 1 to 2', '0'),
  new UnknownFeatureSetError('nope@1', ['basic@1', 'alpha@1']),
  new FeatureMismatchError(
    'ridge',
    { featureSet: 'alpha@1', features: 78 },
    { featureSet: 'basic@1', features: 12 },
  ),
  new ModelNotFittedError('RidgeModel', 'predict'),
  new MissingLabelsError('DriftModel.fit', '0 rows'),
  new TooManyRowsError('A histogram GBDT fit', 2 ** 21 - 1, 2 ** 21),
  new SingularMatrixError('choleskySolve', 'a pivot of 0 at row 3 of 5'),
  new BarsOutOfOrderError('AB', 7, '2024-01-05', '2024-01-04'),
  new ResourceClosedError('FitPool', 'closed during the fit'),
  new NoHandlerError('nope', 'in this queue', ['etl', 'train']),
  new JobTimeoutError('42', 1000),
  new FlowCatalogError(['etl'], ['stray']),
  new InternalError('combineShares expected share 0 to return the features; found none.'),
];

describe('the error classes', () => {
  it('give each failure its own stable code', () => {
    expect(NEWER_ERRORS.map((e) => [e.name, e.code])).toEqual([
      ['InvalidModelError', 'INVALID_MODEL'],
      ['UnknownFeatureSetError', 'UNKNOWN_FEATURE_SET'],
      ['FeatureMismatchError', 'FEATURE_MISMATCH'],
      ['ModelNotFittedError', 'MODEL_NOT_FITTED'],
      ['MissingLabelsError', 'MISSING_LABELS'],
      ['TooManyRowsError', 'TOO_MANY_ROWS'],
      ['SingularMatrixError', 'SINGULAR_MATRIX'],
      ['BarsOutOfOrderError', 'BARS_OUT_OF_ORDER'],
      ['ResourceClosedError', 'RESOURCE_CLOSED'],
      ['NoHandlerError', 'NO_HANDLER'],
      ['JobTimeoutError', 'JOB_TIMEOUT'],
      ['FlowCatalogError', 'FLOW_CATALOG_MISMATCH'],
      ['InternalError', 'INTERNAL_INVARIANT'],
    ]);
  });

  it('say what was expected and what was found', () => {
    expect(NEWER_ERRORS[0]?.message).toBe(
      'Model JSON is invalid at state.forest.trees[0].left[0]: expected an integer from 1 to 2, found 0.',
    );
    expect(NEWER_ERRORS[1]?.message).toBe(
      'Unknown feature set "nope@1": expected one of basic@1, alpha@1.',
    );
    expect(NEWER_ERRORS[7]?.message).toBe(
      'Bars of AB must be strictly increasing by date; found 2024-01-04 after 2024-01-05 at index 7.',
    );
  });

  it('cross a thread boundary with their class, code and details, without being listed again', () => {
    for (const e of NEWER_ERRORS) {
      const back = roundTrip(e);
      expect(back).toBeInstanceOf(e.constructor);
      expect(isStockopsError(back) && [back.code, back.details, back.message]).toEqual([
        e.code,
        e.details,
        e.message,
      ]);
    }
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

  it('does not retry a bad model file, an unknown feature set or a fit that cannot work on this data', () => {
    const permanent = NEWER_ERRORS.filter((e) => !isRetryable(e)).map((e) => e.code);
    expect(permanent).toEqual([
      'INVALID_MODEL',
      'UNKNOWN_FEATURE_SET',
      'FEATURE_MISMATCH',
      'MODEL_NOT_FITTED',
      'MISSING_LABELS',
      'TOO_MANY_ROWS',
      'SINGULAR_MATRIX',
      'BARS_OUT_OF_ORDER',
      'FLOW_CATALOG_MISMATCH',
    ]);
    // A closed pool, a missing handler, a timeout or a bug may pass on another worker or attempt.
    expect(isRetryable(new ResourceClosedError('FitPool', 'closed during the fit'))).toBe(true);
    expect(isRetryable(new InternalError('x'))).toBe(true);
  });
});
