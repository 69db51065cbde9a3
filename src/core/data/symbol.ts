// Ticker symbol rules: one strict pattern, checked before a symbol reaches any store or URL.
import { InvalidInputError } from '../errors/index.js';

/**
 * Yahoo-style symbols: letters, digits and `.`, `-`, `=`, `^` (indices like ^GSPC, 2330.TW, BRK-B, EURUSD=X).
 * Kept strict so a symbol can never carry SQL or path syntax.
 */
export const SYMBOL_PATTERN = /^\^?[A-Z0-9][A-Z0-9.\-=]{0,19}$/;

export function normalizeSymbol(input: string, field = 'ticker'): string {
  const s = input.trim().toUpperCase();
  if (!SYMBOL_PATTERN.test(s)) {
    throw new InvalidInputError(
      field,
      `"${input}" is not a ticker symbol (expected letters, digits, '.', '-', '=' and an optional leading '^', at most 20 characters)`,
    );
  }
  return s;
}
