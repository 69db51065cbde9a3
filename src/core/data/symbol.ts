// Ticker symbol rules: one strict pattern, checked before a symbol reaches any store or URL.
import { InvalidInputError } from '../errors/index.js';

/**
 * Yahoo-style symbols: letters, digits and `.`, `-`, `=`, `^` (indices like ^GSPC, 2330.TW, BRK-B, EURUSD=X).
 * Kept strict so a symbol can never carry SQL or path syntax.
 */
export const SYMBOL_PATTERN = /^\^?[A-Z0-9][A-Z0-9.\-=]{0,19}$/;

/**
 * What a client may send: the same symbols in either case (normalised to upper case). Published in the
 * HTTP contract exactly as the server enforces it.
 */
export const SYMBOL_INPUT_PATTERN = '^\\^?[A-Za-z0-9][A-Za-z0-9.=-]{0,19}$';

/**
 * A symbol already normalised (upper case, checked against SYMBOL_PATTERN). Services take this type, so
 * a ticker is normalised once at the edge (route, CLI option, flow parameters) and never again.
 */
export type TickerSymbol = string & { readonly __brand: 'TickerSymbol' };

export function normalizeSymbol(input: string, field = 'ticker'): TickerSymbol {
  const s = input.trim().toUpperCase();
  if (!SYMBOL_PATTERN.test(s)) {
    throw new InvalidInputError(
      field,
      `"${input}" is not a ticker symbol (expected letters, digits, '.', '-', '=' and an optional leading '^', at most 20 characters)`,
    );
  }
  return s as TickerSymbol;
}
