// Real: ClickHouse (scripts/services/clickhouse.sh, Debian's 18.16 here: no query parameters). The OLAP contract on
// the cleaned series, and the one escaping function checked against the server's own parser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@clickhouse/client';
import { ClickHouseSeriesStore, quote } from '../../src/stores/clickhouse/index.js';
import { migrate, openPglite, SqlPriceStore } from '../../src/stores/sql/index.js';
import { backfillOlap } from '../../src/stores/olap-backed-price-store.js';
import { seriesStoreContract } from '../contract/series-store.contract.js';
import { clickhouseBaseUrl, clickhouseTestUrl } from './data-env.js';

let store: ClickHouseSeriesStore | null = null;
let url = '';
beforeAll(async () => {
  url = await clickhouseTestUrl();
});
afterAll(async () => {
  await store?.dropDatabase();
  await store?.close();
});

seriesStoreContract('ClickHouse', async () => {
  if (store) {
    // Each test starts empty: a fresh database is cheaper than waiting for merges.
    await store.dropDatabase();
    await store.close();
  }
  store = await ClickHouseSeriesStore.open(url);
  return store;
});

describe('ClickHouse literals', () => {
  it('round-trip through the server parser unchanged, whatever they contain', async () => {
    const client = createClient({ url: clickhouseBaseUrl() });
    try {
      const hostile = [
        "it's",
        'back\\slash',
        "\\'; DROP TABLE x; --",
        'tab\tnew\nline\r',
        'nul\u0000bell\u0007',
        '台積電 ^GSPC 2330.TW',
        "'",
        '\\',
        '',
      ];
      for (const s of hostile) {
        const rs = await client.query({ query: `SELECT ${quote(s)} AS s`, format: 'JSONEachRow' });
        expect(await rs.json<{ s: string }>()).toEqual([{ s }]);
      }
      const rs = await client.query({
        query: `SELECT ${quote(-1.25e-7)} AS n`,
        format: 'JSONEachRow',
      });
      expect((await rs.json<{ n: number }>())[0]?.n).toBe(-1.25e-7);
    } finally {
      await client.close();
    }
  });

  it('reports the server version the stack runs (18.16 on Debian 12)', async () => {
    const client = createClient({ url: clickhouseBaseUrl() });
    const rs = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
    const [row] = await rs.json<{ v: string }>();
    await client.close();
    expect(row?.v).toMatch(/^\d+\.\d+/);
  });
});

describe('backfillOlap', () => {
  it('copies to ClickHouse the series SQL has and ClickHouse lacks, once', async () => {
    const db = await openPglite('memory://');
    await migrate(db);
    const sql = new SqlPriceStore(db);
    const bar = (date: string, close: number) => ({
      date,
      open: close,
      high: close,
      low: close,
      close,
      adjClose: close,
      volume: 1,
    });
    await sql.writeClean('AAA', [bar('2024-01-02', 1), bar('2024-01-03', 2)]);
    await sql.writeClean('BBB', [bar('2024-01-02', 3)]);
    const ch = await ClickHouseSeriesStore.open(await clickhouseTestUrl());
    try {
      await ch.writeClean('BBB', [bar('2024-01-02', 3)]);
      expect(await backfillOlap(sql, ch)).toEqual(['AAA']);
      expect(await ch.getBars('AAA')).toEqual(await sql.getBars('AAA'));
      expect(await backfillOlap(sql, ch)).toEqual([]);
    } finally {
      await ch.dropDatabase();
      await ch.close();
      await db.close();
    }
  });
});
