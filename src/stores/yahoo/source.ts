// PriceSource on Yahoo Finance through yahoo-finance2's chart(): daily bars with split and dividend events.
import { SourceError, type PriceSource, type SourceFetch } from '../../core/index.js';
import { withBackoff, type BackoffOptions } from './backoff.js';
import { parseChart, type ChartFn } from './chart.js';

/** Earlier than any listing Yahoo has; period1 = 0 is refused by some of its endpoints. */
const FULL_HISTORY_FROM = new Date('1970-01-02T00:00:00Z');

export interface YahooSourceOptions {
  /** The chart() to call. @defaultValue yahoo-finance2's, loaded on first use */
  chart?: ChartFn;
  backoff?: BackoffOptions;
  /** @defaultValue () => new Date() */
  now?: () => Date;
  /** Send Yahoo's requests to this origin (`http://host:port`) instead of Yahoo's hosts. @defaultValue Yahoo's own */
  origin?: string;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Network error codes meaning no connection could be made at all: offline, a wrong host, nothing listening. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The system error code under a fetch failure (undici wraps it as `cause`, sometimes twice). */
function networkCode(e: unknown): string | null {
  for (let c: unknown = e, depth = 0; c !== null && c !== undefined && depth < 5; depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) {
      return code;
    }
    const errors = (c as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      const inner = errors.map(networkCode).find((x) => x !== null);
      if (inner) {
        return inner;
      }
    }
    c = (c as { cause?: unknown }).cause;
  }
  return null;
}

/** Maps whatever yahoo-finance2 (or the network) threw to a per-ticker SourceError. */
export function classifyYahooError(symbol: string, e: unknown, origin?: string): SourceError {
  if (e instanceof SourceError) {
    return e;
  }
  const message = messageOf(e);
  const name = e instanceof Error ? e.name : '';
  const network = networkCode(e);
  if (network !== null) {
    return new SourceError(
      'unreachable',
      symbol,
      `cannot reach the price source (${network}: no connection to Yahoo Finance${origin ? ` at ${origin}` : ''}; offline, or a proxy or firewall in the way?)`,
    );
  }
  const status =
    typeof (e as { code?: unknown } | null)?.code === 'number'
      ? (e as { code: number }).code
      : null;
  if (status === 429 || /too many requests|rate limit/i.test(message)) {
    return new SourceError(
      'rate_limited',
      symbol,
      `Yahoo is rate-limiting requests (${message.slice(0, 200)})`,
    );
  }
  // The crumb is Yahoo's per-session token; a missing or stale one clears up on a later attempt.
  if (/crumb/i.test(message)) {
    return new SourceError(
      'rate_limited',
      symbol,
      `Yahoo refused the session crumb (${message.slice(0, 200)})`,
    );
  }
  if (status === 404 || /no data found|may be delisted|not found/i.test(message)) {
    return new SourceError(
      'not_found',
      symbol,
      `Yahoo has no data for this symbol (${message.slice(0, 200)})`,
    );
  }
  if (name === 'FailedYahooValidationError') {
    return new SourceError(
      'schema',
      symbol,
      `Yahoo's response no longer matches the chart schema (${message.slice(0, 200)})`,
    );
  }
  return new SourceError('unavailable', symbol, message.slice(0, 300));
}

const transient = (e: unknown) => {
  if (!(e instanceof SourceError)) {
    return false;
  }
  return (
    e.kind === 'rate_limited' ||
    (e.kind === 'unavailable' &&
      /\b5\d\d\b|fetch failed|ECONNRESET|ETIMEDOUT|socket/i.test(e.message))
  );
};

/**
 * A fetch that sends every request yahoo-finance2 makes (chart, cookie, crumb) to `origin` instead, keeping path and
 * query: a mirror or proxy of Yahoo's API, or in tests a loopback port.
 */
function reroutedFetch(origin: string): typeof fetch {
  return (input, init) => {
    const u = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    );
    return fetch(`${origin}${u.pathname}${u.search}`, init);
  };
}

async function yahooFinanceChart(origin?: string): Promise<ChartFn> {
  const { default: YahooFinance } = await import('yahoo-finance2');
  const yf = new YahooFinance({
    suppressNotices: ['yahooSurvey'],
    ...(origin ? { fetch: reroutedFetch(origin) } : {}),
  });
  return (symbol, options) => yf.chart(symbol, options);
}

export class YahooPriceSource implements PriceSource {
  readonly name = 'yahoo';
  private chart: Promise<ChartFn> | null;

  constructor(private readonly options: YahooSourceOptions = {}) {
    this.chart = options.chart ? Promise.resolve(options.chart) : null;
  }

  async fetchDaily(symbol: string, options: { from?: string } = {}): Promise<SourceFetch> {
    this.chart ??= yahooFinanceChart(this.options.origin);
    const chart = await this.chart;
    const period1 = options.from ? new Date(`${options.from}T00:00:00Z`) : FULL_HISTORY_FROM;
    const result = await withBackoff(
      async () => {
        try {
          return await chart(symbol, {
            period1,
            interval: '1d',
            events: 'div|split',
            return: 'array',
          });
        } catch (e) {
          throw classifyYahooError(symbol, e, this.options.origin);
        }
      },
      transient,
      this.options.backoff,
    );
    const now = this.options.now?.() ?? new Date();
    const parsed = parseChart(symbol, result, now);
    // A session still trading has a bar that will change; it is left for the next fetch rather than stored half-made.
    const inProgress = parsed.bars.some((b) => b.date === parsed.openSession)
      ? parsed.openSession
      : null;
    return {
      symbol,
      source: this.name,
      fetchedAt: now.toISOString(),
      timezone: parsed.timezone,
      bars: inProgress === null ? parsed.bars : parsed.bars.filter((b) => b.date !== inProgress),
      actions: parsed.actions,
      inProgress,
    };
  }
}
