import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../core/index.js';
import { withBackoff } from './backoff.js';
import { localDate } from './chart.js';
import { replayChart, reviveChartJson } from './replay.js';
import { YahooPriceSource } from './source.js';
import type { ChartFn } from './chart.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'tests', 'fixtures', 'yahoo');
const fixture = (name: string) => reviveChartJson(readFileSync(join(FIXTURES, name), 'utf8'));
const noSleep = { sleep: () => Promise.resolve(), random: () => 0.5 };

describe('YahooPriceSource on recorded chart() responses', () => {
  const source = new YahooPriceSource({ chart: replayChart(FIXTURES), backoff: noSleep });

  it('reads daily bars, a dividend and a 4:1 split, dated in the exchange time zone', async () => {
    const f = await source.fetchDaily('AAPL');
    expect(f).toMatchObject({
      symbol: 'AAPL',
      source: 'yahoo',
      timezone: 'America/New_York',
      inProgress: null,
    });
    expect(f.bars).toHaveLength(64);
    expect(f.bars[0]).toMatchObject({ date: '2020-07-01', close: 91.0275 });
    expect(f.actions).toEqual([
      { kind: 'dividend', date: '2020-08-07', amount: 0.205 },
      { kind: 'split', date: '2020-08-31', numerator: 4, denominator: 1 },
    ]);
  });

  it('dates Taipei bars by the Taipei calendar and passes the null bar on for validation', async () => {
    const f = await source.fetchDaily('2330.TW');
    expect(f.timezone).toBe('Asia/Taipei');
    const nullBar = f.bars.find((b) => b.close === null);
    expect(nullBar).toMatchObject({
      date: '2020-09-15',
      open: null,
      high: null,
      low: null,
      volume: null,
    });
    expect(JSON.parse(nullBar?.raw ?? '{}')).toMatchObject({ date: '2020-09-15T01:00:00.000Z' });
    expect(f.actions).toEqual([{ kind: 'dividend', date: '2020-09-17', amount: 2.5 }]);
  });

  it('fetches incrementally: bars and events before `from` are not returned', async () => {
    const f = await source.fetchDaily('AAPL', { from: '2020-09-01' });
    expect(f.bars[0]?.date).toBe('2020-09-01');
    expect(f.actions).toEqual([]);
  });

  it('reports an unknown symbol as not_found', async () => {
    await expect(source.fetchDaily('NOPE')).rejects.toMatchObject({
      code: 'SOURCE_ERROR',
      kind: 'not_found',
    });
  });
});

describe('localDate', () => {
  it('uses the exchange calendar date, not the UTC one', () => {
    // 16:30 UTC on Jan 2 is 00:30 on Jan 3 in Taipei, and still Jan 2 in New York.
    const t = new Date('2024-01-02T16:30:00Z');
    expect(localDate(t, 'Asia/Taipei')).toBe('2024-01-03');
    expect(localDate(t, 'America/New_York')).toBe('2024-01-02');
  });
});

describe('YahooPriceSource errors and retries', () => {
  const good = fixture('AAPL.json');

  it('retries 429 and crumb errors with exponential backoff and jitter, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const chart: ChartFn = () => {
      calls++;
      if (calls === 1) {
        return Promise.reject(
          Object.assign(new Error('Too Many Requests'), { name: 'HTTPError', code: 429 }),
        );
      }
      if (calls === 2) {
        return Promise.reject(new Error('Invalid Crumb'));
      }
      return Promise.resolve(good);
    };
    const source = new YahooPriceSource({
      chart,
      backoff: {
        baseMs: 100,
        maxMs: 1000,
        random: () => 0.5,
        sleep: (ms) => (delays.push(ms), Promise.resolve()),
      },
    });
    expect((await source.fetchDaily('AAPL')).bars).toHaveLength(64);
    expect(delays).toEqual([50, 100]);
  });

  it('gives up after its retries with a rate_limited error', async () => {
    const chart: ChartFn = () =>
      Promise.reject(Object.assign(new Error('Too Many Requests'), { code: 429 }));
    const source = new YahooPriceSource({ chart, backoff: { ...noSleep, retries: 2 } });
    await expect(source.fetchDaily('AAPL')).rejects.toMatchObject({ kind: 'rate_limited' });
  });

  it('reports a changed response shape as a schema error, without retrying', async () => {
    let calls = 0;
    const chart: ChartFn = () => {
      calls++;
      return Promise.resolve({
        meta: { exchangeTimezoneName: 'America/New_York' },
        quotes: [{ date: 'x' }],
      });
    };
    const source = new YahooPriceSource({ chart, backoff: noSleep });
    const err = await source.fetchDaily('AAPL').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err).toMatchObject({
      kind: 'schema',
      message: expect.stringContaining('quotes[0].date') as unknown,
    });
    expect(calls).toBe(1);
  });

  it('leaves out the bar of a session that is still trading', async () => {
    const live = fixture('AAPL.json') as {
      meta: { currentTradingPeriod: { regular: { start: Date; end: Date } } };
    };
    live.meta.currentTradingPeriod.regular = {
      start: new Date('2020-09-30T13:30:00Z'),
      end: new Date('2020-09-30T20:00:00Z'),
    };
    const source = new YahooPriceSource({
      chart: () => Promise.resolve(live),
      now: () => new Date('2020-09-30T15:00:00Z'),
    });
    const f = await source.fetchDaily('AAPL');
    expect(f.inProgress).toBe('2020-09-30');
    expect(f.bars.at(-1)?.date).toBe('2020-09-29');
  });
});

describe('withBackoff', () => {
  it('caps each delay at min(maxMs, baseMs * 2^attempt) and draws it uniformly below', async () => {
    const delays: number[] = [];
    let n = 0;
    await withBackoff(
      () => (n++ < 5 ? Promise.reject(new Error('x')) : Promise.resolve(1)),
      () => true,
      {
        baseMs: 100,
        maxMs: 1000,
        random: () => 0.999,
        sleep: (ms) => (delays.push(ms), Promise.resolve()),
      },
    );
    expect(delays).toEqual([99, 199, 399, 799, 999]);
  });

  it('does not retry what the predicate refuses', async () => {
    let n = 0;
    await expect(
      withBackoff(
        () => (n++, Promise.reject(new Error('no'))),
        () => false,
        { sleep: () => Promise.resolve() },
      ),
    ).rejects.toThrow('no');
    expect(n).toBe(1);
  });
});

describe('YahooPriceSource without a network', () => {
  it('fails at once with unreachable when nothing listens, without backing off', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const addr = s.address();
    await new Promise<void>((r) =>
      s.close(() => {
        r();
      }),
    );
    const port = typeof addr === 'object' && addr ? addr.port : 9;
    const sleeps: number[] = [];
    const source = new YahooPriceSource({
      origin: `http://127.0.0.1:${port}`,
      backoff: { sleep: (ms) => (sleeps.push(ms), Promise.resolve()) },
    });
    const err = await source.fetchDaily('AAPL').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err).toMatchObject({ kind: 'unreachable' });
    expect((err as Error).message).toMatch(/cannot reach the price source \(ECONNREFUSED/);
    expect(sleeps).toEqual([]);
  });
});
