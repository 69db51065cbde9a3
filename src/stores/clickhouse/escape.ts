// The one way values enter ClickHouse SQL text: the 18.16 server has no query parameters, so literals are escaped here.
import { InvalidInputError, isValidIsoDate, SYMBOL_PATTERN } from '../../core/index.js';

/**
 * A ClickHouse literal for a string, a finite number or null. Strings are single-quoted with backslash escapes
 * (ClickHouse's string literal syntax): backslash and quote first, then control characters as \xHH, so no input can
 * end the literal or smuggle a byte the parser treats specially.
 */
export function quote(value: string | number | null): string {
  if (value === null) {
    return 'NULL';
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new InvalidInputError(
        'value',
        `${value} cannot be sent to ClickHouse (finite numbers only)`,
      );
    }
    return String(value);
  }
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\' || ch === "'") {
      out += `\\${ch}`;
    } else if (code < 0x20 || code === 0x7f) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else {
      out += ch;
    }
  }
  return `${out}'`;
}

/** A ticker as a literal, after the strict symbol check: defence in depth on top of the escaping. */
export function quoteSymbol(symbol: string): string {
  if (!SYMBOL_PATTERN.test(symbol)) {
    throw new InvalidInputError('ticker', `"${symbol.slice(0, 40)}" is not a ticker symbol`);
  }
  return quote(symbol);
}

/** A calendar date as a ClickHouse Date expression. */
export function quoteDate(date: string): string {
  if (!isValidIsoDate(date)) {
    throw new InvalidInputError('date', `"${date.slice(0, 40)}" is not a YYYY-MM-DD date`);
  }
  return `toDate(${quote(date)})`;
}

/** Database and table names cannot be literals; only plain identifiers are accepted. */
export function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new InvalidInputError(
      'identifier',
      `"${name.slice(0, 70)}" is not a plain ClickHouse identifier`,
    );
  }
  return name;
}
