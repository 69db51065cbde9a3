// Contract every ForecastLog adapter passes (SQL on PGlite and on PostgreSQL).
import { beforeEach, describe, expect, it } from 'vitest';
import type { ForecastLog, ForecastServes } from '../../src/core/index.js';

const forecast = (over: Partial<ForecastServes['forecast']> = {}): ForecastServes['forecast'] => ({
  ticker: '^GSPC',
  horizon: 1,
  asOf: '2020-04-17',
  targetDate: '2020-04-20',
  model: {
    name: '^GSPC.h1',
    version: 1,
    kind: 'ridge',
    runId: 'a'.repeat(32),
    featureSet: 'alpha@1',
  },
  lastClose: 2874.56,
  predictedReturn: 0.0012,
  predictedClose: 2878.01,
  intervals: [
    { level: 0.8, lower: 2820.5, upper: 2935.1 },
    { level: 0.95, lower: 2790.25, upper: 2966.75 },
  ],
  ...over,
});

const serves = (
  f: ForecastServes['forecast'],
  count: number,
  firstServedAt: number,
  lastServedAt = firstServedAt,
): ForecastServes => ({ forecast: f, count, firstServedAt, lastServedAt });

export function forecastLogContract(name: string, make: () => Promise<ForecastLog>): void {
  describe(`ForecastLog contract: ${name}`, () => {
    let log: ForecastLog;
    beforeEach(async () => {
      log = await make();
    });

    it('keeps one row per forecast and adds the serve counts of later writes', async () => {
      await log.record([serves(forecast(), 3, 1000, 1200)]);
      await log.record([serves(forecast(), 2, 900, 1500)]);
      const rows = await log.list({ limit: 10 });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        ...forecast(),
        serveCount: 5,
        firstServedAt: 900,
        lastServedAt: 1500,
      });
    });

    it('stores every field as served, intervals and dates included', async () => {
      const f = forecast({ ticker: '2330.TW', model: { ...forecast().model, name: '2330.TW.h1' } });
      await log.record([serves(f, 1, 5)]);
      const [row] = await log.list({ limit: 1 });
      expect(row?.asOf).toBe('2020-04-17');
      expect(row?.targetDate).toBe('2020-04-20');
      expect(row?.intervals).toEqual(f.intervals);
      expect(row?.model).toEqual(f.model);
      expect(row?.predictedReturn).toBe(0.0012);
    });

    it('tells forecasts apart by ticker, horizon, asOf, model name and version', async () => {
      await log.record([
        serves(forecast(), 1, 1),
        serves(forecast({ horizon: 5, targetDate: '2020-04-24' }), 1, 1),
        serves(forecast({ asOf: '2020-04-16' }), 1, 1),
        serves(forecast({ model: { ...forecast().model, version: 2 } }), 1, 1),
        serves(forecast({ ticker: 'AAPL', model: { ...forecast().model, name: 'AAPL.h1' } }), 1, 1),
      ]);
      expect(await log.list({ limit: 100 })).toHaveLength(5);
    });

    it('lists newest first and pages without gaps or repeats from any position', async () => {
      const dates = ['2020-04-14', '2020-04-15', '2020-04-16', '2020-04-17'];
      await log.record(
        dates.flatMap((asOf, i) =>
          [1, 5, 20].map((horizon) => serves(forecast({ asOf, horizon }), 1, i * 10 + horizon)),
        ),
      );
      const all = await log.list({ limit: 100 });
      expect(all.map((r) => r.asOf)).toEqual([...dates].reverse().flatMap((d) => [d, d, d]));
      const seen: number[] = [];
      let after: { asOf: string; id: number } | undefined;
      for (;;) {
        const page = await log.list({ limit: 5, ...(after ? { after } : {}) });
        seen.push(...page.map((r) => r.id));
        const last = page.at(-1);
        if (page.length < 5 || !last) {
          break;
        }
        after = { asOf: last.asOf, id: last.id };
      }
      expect(seen).toEqual(all.map((r) => r.id));
    });

    it('filters by ticker, horizon, model and an inclusive asOf range', async () => {
      await log.record([
        serves(forecast({ asOf: '2020-04-15' }), 1, 1),
        serves(forecast({ asOf: '2020-04-16' }), 1, 1),
        serves(forecast({ asOf: '2020-04-17' }), 1, 1),
        serves(
          forecast({
            asOf: '2020-04-17',
            horizon: 5,
            model: { ...forecast().model, name: '^GSPC.h5' },
          }),
          1,
          1,
        ),
        serves(forecast({ ticker: 'AAPL', model: { ...forecast().model, name: 'AAPL.h1' } }), 1, 1),
      ]);
      expect(await log.list({ limit: 10, ticker: 'AAPL' })).toHaveLength(1);
      expect(await log.list({ limit: 10, ticker: '^GSPC', horizon: 5 })).toHaveLength(1);
      expect(await log.list({ limit: 10, model: '^GSPC.h1' })).toHaveLength(3);
      const ranged = await log.list({
        limit: 10,
        ticker: '^GSPC',
        from: '2020-04-16',
        to: '2020-04-16',
      });
      expect(ranged.map((r) => r.asOf)).toEqual(['2020-04-16']);
    });

    it('takes a thousand forecasts in one write', async () => {
      const many = Array.from({ length: 1000 }, (_, i) =>
        serves(forecast({ model: { ...forecast().model, version: i + 1 } }), i + 1, i),
      );
      await log.record(many);
      const rows = await log.list({ limit: 1000 });
      expect(rows).toHaveLength(1000);
      expect(rows.reduce((s, r) => s + r.serveCount, 0)).toBe((1000 * 1001) / 2);
    });

    it('records nothing for an empty write', async () => {
      await log.record([]);
      expect(await log.list({ limit: 10 })).toEqual([]);
    });
  });
}
