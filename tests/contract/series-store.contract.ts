// OLAP contract: every SeriesStore (the cleaned series) passes it: SQL (PGlite, PostgreSQL) and ClickHouse.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Bar, SeriesStore } from '../../src/core/index.js';

const bar = (date: string, close: number, volume: number | null = 1000): Bar => ({
  date,
  open: close - 0.25,
  high: close + 1,
  low: close - 1,
  close,
  adjClose: close * 0.98,
  volume,
});

export function seriesStoreContract(name: string, make: () => Promise<SeriesStore>): void {
  describe(`SeriesStore (OLAP) contract: ${name}`, () => {
    let store: SeriesStore;
    beforeEach(async () => {
      store = await make();
    });

    it('writes a cleaned series and reads it back sorted, exactly, within inclusive bounds', async () => {
      const bars = [
        bar('2024-01-03', 11.1),
        bar('2024-01-02', 10.123456789012, null),
        bar('2024-01-04', 12),
      ];
      await store.writeClean('AAA', bars);
      const all = await store.getBars('AAA');
      expect(all).toEqual([bars[1], bars[0], bars[2]]);
      expect(
        (await store.getBars('AAA', { from: '2024-01-03', to: '2024-01-03' })).map((b) => b.close),
      ).toEqual([11.1]);
      expect((await store.getBars('AAA', { from: '2024-01-04' })).map((b) => b.date)).toEqual([
        '2024-01-04',
      ]);
      expect((await store.getBars('AAA', { to: '2024-01-02' })).map((b) => b.date)).toEqual([
        '2024-01-02',
      ]);
    });

    it('replaces a date written again, so a re-derived series never shows two versions of a day', async () => {
      await store.writeClean('AAA', [bar('2024-01-02', 400), bar('2024-01-03', 404)]);
      await store.writeClean('AAA', [bar('2024-01-02', 100), bar('2024-01-03', 101)]);
      expect((await store.getBars('AAA')).map((b) => b.close)).toEqual([100, 101]);
      expect((await store.getTicker('AAA'))?.rows).toBe(2);
    });

    it('summarises tickers, keeps symbols apart, and answers null for unknown ones', async () => {
      await store.writeClean('^GSPC', [bar('2024-01-02', 10), bar('2024-01-05', 11)]);
      await store.writeClean('2330.TW', [bar('2024-01-03', 10)]);
      expect(await store.listTickers()).toEqual([
        { symbol: '2330.TW', firstDate: '2024-01-03', lastDate: '2024-01-03', rows: 1 },
        { symbol: '^GSPC', firstDate: '2024-01-02', lastDate: '2024-01-05', rows: 2 },
      ]);
      expect(await store.getTicker('NOPE')).toBeNull();
      expect(await store.getBars('NOPE')).toEqual([]);
    });

    it('writes thousands of rows in one call', async () => {
      const bars: Bar[] = [];
      const d = new Date('2000-01-01T00:00:00Z');
      for (let i = 0; i < 5000; i++) {
        bars.push(bar(d.toISOString().slice(0, 10), 100 + i / 7));
        d.setUTCDate(d.getUTCDate() + 1);
      }
      await store.writeClean('BIG', bars);
      expect((await store.getTicker('BIG'))?.rows).toBe(5000);
      expect((await store.getBars('BIG')).at(-1)).toEqual(bars.at(-1));
    });

    it('treats hostile input as data or refuses it, never as SQL', async () => {
      await store.writeClean('AAA', [bar('2024-01-02', 1)]);
      // Bound parameters make it a symbol nobody has; escaping stores refuse it before any SQL is sent.
      const hostile = await store.getBars("AAA' OR '1'='1").catch(() => 'refused' as const);
      expect(hostile === 'refused' || hostile.length === 0).toBe(true);
      await expect(store.getBars('AAA', { from: "2024-01-01') OR (1=1" })).rejects.toThrow();
      expect(await store.getBars('AAA')).toHaveLength(1);
    });
  });
}
