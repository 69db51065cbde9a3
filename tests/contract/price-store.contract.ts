// Contract every PriceStore adapter passes: embedded PGlite and PostgreSQL (raw bars, actions, cleaned series, quarantine).
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

    it('stores raw bars and returns them sorted, with inclusive date bounds, source and fetch time', async () => {
      await store.insertBars(
        'AAA',
        [bar('2024-01-03', 11), bar('2024-01-02', 10, null), bar('2024-01-04', 12)],
        'test',
      );
      const all = await store.getRawBars('AAA');
      expect(all.map((b) => b.date)).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
      expect(all[0]).toMatchObject({ ...bar('2024-01-02', 10, null), source: 'test' });
      expect(Date.now() - Date.parse(all[0]?.fetchedAt ?? '')).toBeLessThan(60_000);
      expect(
        (await store.getRawBars('AAA', { from: '2024-01-03', to: '2024-01-03' })).map(
          (b) => b.close,
        ),
      ).toEqual([11]);
      expect(await store.getRawSummary('AAA')).toEqual({
        symbol: 'AAA',
        firstDate: '2024-01-02',
        lastDate: '2024-01-04',
        rows: 3,
      });
    });

    it('insertBars never rewrites a stored date: re-inserting changes nothing and counts zero', async () => {
      expect(await store.insertBars('AAA', [bar('2024-01-02', 10)], 'a')).toBe(1);
      expect(await store.insertBars('AAA', [bar('2024-01-02', 99)], 'b')).toBe(0);
      expect((await store.getRawBars('AAA'))[0]?.close).toBe(10);
    });

    it('upserts raw bars on (symbol, date): new, changed and unchanged rows are told apart', async () => {
      const t1 = '2024-01-05T21:00:00.000Z';
      const t2 = '2024-01-06T21:00:00.000Z';
      expect(
        await store.upsertRawBars(
          'AAA',
          [bar('2024-01-02', 10), bar('2024-01-03', 11)],
          'yahoo',
          t1,
        ),
      ).toEqual({
        inserted: 2,
        updated: 0,
        unchanged: 0,
      });
      // The same fetch again is a no-op: that is what makes ETL re-runs idempotent.
      expect(
        await store.upsertRawBars(
          'AAA',
          [bar('2024-01-02', 10), bar('2024-01-03', 11)],
          'yahoo',
          t2,
        ),
      ).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: 2,
      });
      expect(
        await store.upsertRawBars(
          'AAA',
          [bar('2024-01-03', 12), bar('2024-01-04', 13, null)],
          'yahoo',
          t2,
        ),
      ).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
      const raw = await store.getRawBars('AAA');
      expect(raw.map((b) => [b.date, b.close, b.fetchedAt])).toEqual([
        ['2024-01-02', 10, t1],
        ['2024-01-03', 12, t2],
        ['2024-01-04', 13, t2],
      ]);
    });

    it('counts each new date once when upserts of the same bars run at the same time', async () => {
      const bars = [bar('2024-01-02', 10), bar('2024-01-03', 11), bar('2024-01-04', 12)];
      const t = '2024-01-05T21:00:00.000Z';
      // Connections opened first, so the four transactions overlap instead of each waiting for its connection.
      await Promise.all(Array.from({ length: 4 }, () => store.getRawSummary('AAA')));
      const counts = await Promise.all(
        Array.from({ length: 4 }, () => store.upsertRawBars('AAA', bars, 'yahoo', t)),
      );
      const sum = (k: 'inserted' | 'unchanged') => counts.reduce((n, c) => n + c[k], 0);
      expect(sum('inserted')).toBe(3);
      expect(sum('unchanged')).toBe(9);
      expect((await store.getRawBars('AAA')).map((r) => [r.close, r.fetchedAt])).toEqual([
        [10, t],
        [11, t],
        [12, t],
      ]);
    });

    it('refuses a date that does not exist and stores nothing of the batch', async () => {
      await expect(
        store.upsertRawBars(
          'AAA',
          [bar('2023-02-28', 10), bar('2023-02-29', 11)],
          'yahoo',
          '2024-01-05T21:00:00.000Z',
        ),
      ).rejects.toThrow(/2023-02-29/);
      expect(await store.getRawSummary('AAA')).toBeNull();
    });

    it('upserts corporate actions and returns them with their fetch time', async () => {
      const t = '2020-09-01T12:00:00.000Z';
      const actions = [
        { kind: 'split' as const, date: '2020-08-31', numerator: 4, denominator: 1 },
        { kind: 'dividend' as const, date: '2020-08-07', amount: 0.205 },
      ];
      expect(await store.upsertActions('AAPL', actions, 'yahoo', t)).toBe(2);
      expect(await store.upsertActions('AAPL', actions, 'yahoo', t)).toBe(0);
      expect(await store.getActions('AAPL')).toEqual([
        { kind: 'dividend', date: '2020-08-07', amount: 0.205, source: 'yahoo', fetchedAt: t },
        {
          kind: 'split',
          date: '2020-08-31',
          numerator: 4,
          denominator: 1,
          source: 'yahoo',
          fetchedAt: t,
        },
      ]);
      expect(await store.getActions('OTHER')).toEqual([]);
    });

    it('keeps the cleaned series apart from the raw bars', async () => {
      await store.insertBars('AAA', [bar('2024-01-02', 400)], 'csv');
      expect(await store.getTicker('AAA')).toBeNull();
      await store.writeClean('AAA', [bar('2024-01-02', 100)]);
      expect((await store.getBars('AAA'))[0]?.close).toBe(100);
      expect((await store.getRawBars('AAA'))[0]?.close).toBe(400);
    });

    it('inserts large batches in one call', async () => {
      const bars: Bar[] = [];
      const d = new Date('2000-01-01T00:00:00Z');
      for (let i = 0; i < 12_000; i++) {
        bars.push(bar(d.toISOString().slice(0, 10), 100 + i));
        d.setUTCDate(d.getUTCDate() + 1);
      }
      expect(await store.insertBars('BIG', bars, 't')).toBe(12_000);
      expect((await store.getRawSummary('BIG'))?.rows).toBe(12_000);
      expect(await store.upsertRawBars('BIG', bars, 't', new Date().toISOString())).toMatchObject({
        unchanged: 12_000,
      });
    });

    it('keeps quarantined rows with line, reason and the raw text', async () => {
      await store.addQuarantine(
        'AAA',
        [
          {
            line: 7,
            reason: 'high 8 is below low 9',
            raw: "2024-01-05,10,8,9,8.5,8.5,1'; drop table bars;--",
            key: 'file-a:7',
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

    it('stores a quarantined row once per key, however often it is added', async () => {
      const rows = [1, 2].map((line) => ({ line, reason: 'bad', raw: 'x', key: `f:${line}` }));
      expect(await store.addQuarantine('DUP', rows, 'csv')).toBe(2);
      expect(await store.addQuarantine('DUP', rows, 'csv')).toBe(0);
      expect(await store.listQuarantine('DUP')).toHaveLength(2);
    });

    it('commits the writes made in atomically() together, or none of them', async () => {
      const bar = {
        date: '2024-01-02',
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        adjClose: 1,
        volume: 1,
      };
      await expect(
        store.atomically(async (tx) => {
          await tx.insertBars('ATOM', [bar], 't');
          await tx.writeClean('ATOM', [bar]);
          throw new Error('crash in between');
        }),
      ).rejects.toThrow('crash in between');
      expect(await store.getRawSummary('ATOM')).toBeNull();
      expect(await store.getTicker('ATOM')).toBeNull();
      await store.atomically(async (tx) => {
        await tx.insertBars('ATOM', [bar], 't');
        await tx.writeClean('ATOM', [bar]);
      });
      expect((await store.getTicker('ATOM'))?.rows).toBe(1);
    });
  });
}
