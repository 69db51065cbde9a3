// Option parsers shared by the commands: a ticker is normalised here, once, and horizons come from the one set.
import { InvalidArgumentError } from 'commander';
import {
  HORIZONS,
  isHorizon,
  normalizeSymbol,
  type Horizon,
  type TickerSymbol,
} from '../core/index.js';

export function parseTicker(v: string): TickerSymbol {
  try {
    return normalizeSymbol(v);
  } catch (e) {
    throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
  }
}

export function parseHorizon(v: string): Horizon {
  const n = Number(v);
  if (!isHorizon(n)) {
    throw new InvalidArgumentError(`horizon must be one of ${HORIZONS.join(', ')}`);
  }
  return n;
}

/** An integer in [min, max]; `what` names the option in the message. */
export function parseIntIn(what: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${what} must be an integer >= ${min}`
          : `${what} must be an integer in [${min}, ${max}]`,
      );
    }
    return n;
  };
}

/** A comma-separated list of names (columns), blanks trimmed, none empty. */
export function parseNameList(v: string): string[] {
  const names = v.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) {
    throw new InvalidArgumentError(`expected comma-separated names, got "${v}"`);
  }
  return names;
}
