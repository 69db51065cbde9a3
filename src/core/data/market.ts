// Where a symbol trades and in which currency, read from its Yahoo suffix (Yahoo's own convention for exchanges).

export interface Market {
  /** Short exchange name, e.g. "NYSE/Nasdaq", "TWSE", "Index". */
  exchange: string;
  /** ISO 4217 currency of its prices. */
  currency: string;
}

/** Yahoo's exchange suffixes for the markets people ask for most; the list is Yahoo's, not exhaustive. */
const BY_SUFFIX: Readonly<Record<string, Market>> = {
  TW: { exchange: 'TWSE', currency: 'TWD' },
  TWO: { exchange: 'TPEx', currency: 'TWD' },
  T: { exchange: 'TSE', currency: 'JPY' },
  HK: { exchange: 'HKEX', currency: 'HKD' },
  SS: { exchange: 'SSE', currency: 'CNY' },
  SZ: { exchange: 'SZSE', currency: 'CNY' },
  KS: { exchange: 'KRX', currency: 'KRW' },
  KQ: { exchange: 'KOSDAQ', currency: 'KRW' },
  L: { exchange: 'LSE', currency: 'GBP' },
  DE: { exchange: 'XETRA', currency: 'EUR' },
  F: { exchange: 'FWB', currency: 'EUR' },
  PA: { exchange: 'Euronext Paris', currency: 'EUR' },
  AS: { exchange: 'Euronext Amsterdam', currency: 'EUR' },
  MI: { exchange: 'Borsa Italiana', currency: 'EUR' },
  SW: { exchange: 'SIX', currency: 'CHF' },
  TO: { exchange: 'TSX', currency: 'CAD' },
  AX: { exchange: 'ASX', currency: 'AUD' },
  SI: { exchange: 'SGX', currency: 'SGD' },
  NS: { exchange: 'NSE', currency: 'INR' },
  BO: { exchange: 'BSE', currency: 'INR' },
};

/** Yahoo's index symbols outside the US, by the currency their level is quoted in. */
const INDEX_CURRENCY: Readonly<Record<string, string>> = {
  '^TWII': 'TWD',
  '^N225': 'JPY',
  '^HSI': 'HKD',
  '^FTSE': 'GBP',
  '^GDAXI': 'EUR',
  '^FCHI': 'EUR',
  '^STOXX50E': 'EUR',
  '^KS11': 'KRW',
};

/**
 * The exchange and currency of a Yahoo symbol: an index (`^GSPC`), a suffix (`2330.TW`), a currency pair
 * (`EURUSD=X`), a future (`CL=F`), or none (a US listing in dollars). Unknown suffixes say so.
 */
export function marketOf(symbol: string): Market {
  const s = symbol.toUpperCase();
  if (s.startsWith('^')) {
    return { exchange: 'Index', currency: INDEX_CURRENCY[s] ?? 'USD' };
  }
  if (s.endsWith('=X')) {
    return { exchange: 'FX', currency: s.length >= 8 ? s.slice(3, 6) : 'USD' };
  }
  if (s.endsWith('=F')) {
    return { exchange: 'Futures', currency: 'USD' };
  }
  const dot = s.lastIndexOf('.');
  // BRK.B-style share classes are US listings too: a one-letter class is not an exchange suffix Yahoo uses.
  const suffix = dot < 0 ? '' : s.slice(dot + 1);
  if (suffix === '') {
    return { exchange: 'NYSE/Nasdaq', currency: 'USD' };
  }
  return BY_SUFFIX[suffix] ?? { exchange: suffix, currency: 'unknown' };
}
