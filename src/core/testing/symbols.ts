// Ticker symbols for tests: services take normalised (branded) symbols, tests write them as literals.
import { normalizeSymbol, type TickerSymbol } from '../data/index.js';

export const sym = (s: string): TickerSymbol => normalizeSymbol(s);
export const syms = (...s: string[]): TickerSymbol[] => s.map(sym);
