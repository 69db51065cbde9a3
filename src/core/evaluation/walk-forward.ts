// Walk-forward splits with purge and embargo: training rows never carry a label that reaches the test window.
import { InsufficientHistoryError } from '../errors/index.js';

export interface WalkForwardOptions {
  /**
   * Rows in the first training window (shrunk to what the data allows for short histories).
   * @defaultValue 1000
   */
  initialTrain?: number;
  /**
   * Rows per test window, and how far the window moves between refits.
   * @defaultValue 250
   */
  step?: number;
  /** Rows dropped before each test window because their labels overlap it; must be >= horizon. */
  purge: number;
  /**
   * Extra rows dropped after the purge, against serial correlation leaking across the boundary.
   * @defaultValue 0
   */
  embargo?: number;
  /**
   * `expanding` keeps all past rows; `sliding` keeps the last `initialTrain` rows.
   * @defaultValue 'expanding'
   */
  window?: 'expanding' | 'sliding';
}

export interface Fold {
  index: number;
  /** Row range [trainStart, trainEnd) used to fit. */
  trainStart: number;
  trainEnd: number;
  /** Row range [testStart, testEnd) predicted out of sample. */
  testStart: number;
  testEnd: number;
}

/** Fewest training rows a fold may have; below this a fit means nothing. */
export const MIN_TRAIN_ROWS = 50;
/** Fewest test rows over all folds for a metric worth reporting. */
export const MIN_TEST_ROWS = 20;

/** Rows a labeled dataset needs for at least one fold under these options. */
export function minimumRows(options: WalkForwardOptions): number {
  return MIN_TRAIN_ROWS + options.purge + (options.embargo ?? 0) + MIN_TEST_ROWS;
}

/** The settings a walk-forward actually runs with on `nRows` rows (short histories shrink the first window). */
export function resolveWalkForward(
  nRows: number,
  options: WalkForwardOptions,
  symbol = '?',
): Required<WalkForwardOptions> {
  const purge = options.purge;
  const embargo = options.embargo ?? 0;
  const gap = purge + embargo;
  if (nRows < minimumRows(options)) {
    throw new InsufficientHistoryError(symbol, minimumRows(options), nRows);
  }
  // Short histories: the first window shrinks so that at least half the data is tested out of sample.
  const initialTrain = Math.max(
    MIN_TRAIN_ROWS,
    Math.min(options.initialTrain ?? 1000, Math.floor((nRows - gap) / 2)),
  );
  const step = Math.max(1, Math.min(options.step ?? 250, nRows - gap - initialTrain));
  return { initialTrain, step, purge, embargo, window: options.window ?? 'expanding' };
}

export function walkForwardSplits(
  nRows: number,
  options: WalkForwardOptions,
  symbol = '?',
): Fold[] {
  const { initialTrain, step, purge, embargo, window } = resolveWalkForward(nRows, options, symbol);
  const gap = purge + embargo;
  const folds: Fold[] = [];
  for (let testStart = initialTrain + gap; testStart < nRows; testStart += step) {
    const trainEnd = testStart - gap;
    // A sliding window keeps the last `initialTrain` rows, so every fit sees the same amount of data.
    const trainStart = window === 'sliding' ? Math.max(0, trainEnd - initialTrain) : 0;
    folds.push({
      index: folds.length,
      trainStart,
      trainEnd,
      testStart,
      testEnd: Math.min(nRows, testStart + step),
    });
  }
  return folds;
}
