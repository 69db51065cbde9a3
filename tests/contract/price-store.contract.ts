// Contract every PriceStore adapter passes (embedded PGlite now; PostgreSQL and ClickHouse join in their issues).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Bar, PriceStore } from '../../src/core/index.js';

const bar = (date: string, close: number, volume: number | null = 1000): Bar => ({
  date,
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  adjClose: close,
  volume,
});

export function priceStoreContract(name: string, make: () => Promise<PriceStore>): void {
  describe(`PriceStore contract: ${name}`, () => {
    let store: PriceStore;
    beforeEach(async () => {
      store = await make();
    });

    it('stores bars and returns them sorted, with inclusive date bounds', async () => {
      await store.insertBars(
        'AAA',
        [bar('2024-01-03', 11), bar('2024-01-02', 10, null), bar('2024-01-04', 12)],
        'test',
      );
      const all = await store.getBars('AAA');
      expect(all.map((b) => b.date)).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
      expect(all[0]).toEqual(bar('2024-01-02', 10, null));
      expect(
        (await store.getBars('AAA', { from: '2024-01-03', to: '2024-01-03' })).map((b) => b.close),
      ).toEqual([11]);
    });

    it('is idempotent on (symbol, date): re-inserting changes nothing and counts zero', async () => {
      expect(await store.insertBars('AAA', [bar('2024-01-02', 10)], 'a')).toBe(1);
      expect(await store.insertBars('AAA', [bar('2024-01-02', 99)], 'b')).toBe(0);
      expect((await store.getBars('AAA'))[0]?.close).toBe(10);
    });

    it('summarises tickers and answers null for unknown ones', async () => {
      await store.insertBars('^GSPC', [bar('2024-01-02', 10), bar('2024-01-05', 11)], 't');
      await store.insertBars('2330.TW', [bar('2024-01-03', 10)], 't');
      expect(await store.listTickers()).toEqual([
        { symbol: '2330.TW', firstDate: '2024-01-03', lastDate: '2024-01-03', rows: 1 },
        { symbol: '^GSPC', firstDate: '2024-01-02', lastDate: '2024-01-05', rows: 2 },
      ]);
      expect(await store.getTicker('NOPE')).toBeNull();
    });

    it('inserts large batches in one call', async () => {
      const bars: Bar[] = [];
      const d = new Date('2000-01-01T00:00:00Z');
      for (let i = 0; i < 5000; i++) {
        bars.push(bar(d.toISOString().slice(0, 10), 100 + i));
        d.setUTCDate(d.getUTCDate() + 1);
      }
      expect(await store.insertBars('BIG', bars, 't')).toBe(5000);
      expect((await store.getTicker('BIG'))?.rows).toBe(5000);
    });

    it('keeps quarantined rows with line, reason and the raw text', async () => {
      await store.addQuarantine(
        'AAA',
        [
          {
            line: 7,
            reason: 'high 8 is below low 9',
            raw: "2024-01-05,10,8,9,8.5,8.5,1'; drop table bars;--",
          },
        ],
        'csv',
      );
      const q = await store.listQuarantine('AAA');
      expect(q).toHaveLength(1);
      expect(q[0]).toMatchObject({
        symbol: 'AAA',
        line: 7,
        reason: 'high 8 is below low 9',
        source: 'csv',
      });
      expect(q[0]?.raw).toContain('drop table');
      expect(await store.listQuarantine('OTHER')).toEqual([]);
    });
  });
}
