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
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Maps whatever yahoo-finance2 (or the network) threw to a per-ticker SourceError. */
export function classifyYahooError(symbol: string, e: unknown): SourceError {
  if (e instanceof SourceError) {
    return e;
  }
  const message = messageOf(e);
  const name = e instanceof Error ? e.name : '';
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

async function yahooFinanceChart(): Promise<ChartFn> {
  const { default: YahooFinance } = await import('yahoo-finance2');
  const yf = new YahooFinance({ suppressNotices: ['yahooSurvey'] });
  return (symbol, options) => yf.chart(symbol, options);
}

export class YahooPriceSource implements PriceSource {
  readonly name = 'yahoo';
  private chart: Promise<ChartFn> | null;

  constructor(private readonly options: YahooSourceOptions = {}) {
    this.chart = options.chart ? Promise.resolve(options.chart) : null;
  }

  async fetchDaily(symbol: string, options: { from?: string } = {}): Promise<SourceFetch> {
    this.chart ??= yahooFinanceChart();
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
          throw classifyYahooError(symbol, e);
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
