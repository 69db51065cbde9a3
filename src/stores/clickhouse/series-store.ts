// SeriesStore on ClickHouse: the cleaned series in a ReplacingMergeTree keyed by (ticker, date), read with FINAL.
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import {
  ConfigError,
  type Bar,
  type DateRange,
  type SeriesStore,
  type TickerSummary,
} from '../../core/index.js';
import { identifier, quoteDate, quoteSymbol } from './escape.js';

interface Row {
  day: string;
  open: number;
  high: number;
  low: number;
  close: number;
  adj_close: number;
  volume: number | null;
}

/**
 * A re-written date is a new row with a higher version; ReplacingMergeTree keeps the highest version per
 * (ticker, date) when parts merge, and FINAL applies the same rule at read time, so reads never see two versions.
 */
const TABLE_DDL = (db: string) => `
  CREATE TABLE IF NOT EXISTS ${db}.clean_bars (
    ticker String,
    date Date,
    open Float64,
    high Float64,
    low Float64,
    close Float64,
    adj_close Float64,
    volume Nullable(Float64),
    version UInt64
  ) ENGINE = ReplacingMergeTree(version) ORDER BY (ticker, date)`;

export class ClickHouseSeriesStore implements SeriesStore {
  readonly engine = 'clickhouse';
  private lastVersion = 0;

  private constructor(
    private readonly client: ClickHouseClient,
    private readonly db: string,
  ) {}

  /** Connects to `http://[user[:password]@]host:port[/database]` (database `stockops` by default) and migrates. */
  static async open(url: string): Promise<ClickHouseSeriesStore> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new ConfigError(
        `CLICKHOUSE_URL "${url}" is not a URL (expected http://host:8123[/database])`,
      );
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new ConfigError(`CLICKHOUSE_URL "${url}" must use http:// or https://`);
    }
    const db = identifier(decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, '')) || 'stockops');
    const client = createClient({
      url: `${u.protocol}//${u.host}`,
      username: decodeURIComponent(u.username) || 'default',
      password: decodeURIComponent(u.password),
      request_timeout: 60_000,
    });
    try {
      await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
      await client.command({ query: TABLE_DDL(db) });
    } catch (e) {
      await client.close();
      throw new ConfigError(
        `ClickHouse at ${u.protocol}//${u.host} is not usable: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    return new ClickHouseSeriesStore(client, db);
  }

  private async rows<T>(query: string): Promise<T[]> {
    const rs = await this.client.query({ query, format: 'JSONEachRow' });
    return rs.json<T>();
  }

  async listTickers(): Promise<TickerSummary[]> {
    const rows = await this.rows<{
      ticker: string;
      first: string;
      last: string;
      n: string | number;
    }>(
      `SELECT ticker, toString(min(date)) AS first, toString(max(date)) AS last, count() AS n
       FROM ${this.db}.clean_bars FINAL GROUP BY ticker ORDER BY ticker`,
    );
    return rows.map((r) => ({
      symbol: r.ticker,
      firstDate: r.first,
      lastDate: r.last,
      rows: Number(r.n),
    }));
  }

  async getTicker(symbol: string): Promise<TickerSummary | null> {
    const rows = await this.rows<{ first: string; last: string; n: string | number }>(
      `SELECT toString(min(date)) AS first, toString(max(date)) AS last, count() AS n
       FROM ${this.db}.clean_bars FINAL WHERE ticker = ${quoteSymbol(symbol)}`,
    );
    const r = rows[0];
    return r && Number(r.n) > 0
      ? { symbol, firstDate: r.first, lastDate: r.last, rows: Number(r.n) }
      : null;
  }

  async getBars(symbol: string, range: DateRange = {}): Promise<Bar[]> {
    const where = [`ticker = ${quoteSymbol(symbol)}`];
    if (range.from !== undefined) {
      where.push(`date >= ${quoteDate(range.from)}`);
    }
    if (range.to !== undefined) {
      where.push(`date <= ${quoteDate(range.to)}`);
    }
    const rows = await this.rows<Row>(
      // The text date gets its own alias: ClickHouse lets aliases shadow columns inside WHERE.
      `SELECT toString(date) AS day, open, high, low, close, adj_close, volume
       FROM ${this.db}.clean_bars FINAL WHERE ${where.join(' AND ')} ORDER BY date`,
    );
    return rows.map((r) => ({
      date: r.day,
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      adjClose: r.adj_close,
      volume: r.volume,
    }));
  }

  async writeClean(symbol: string, bars: readonly Bar[]): Promise<number> {
    quoteSymbol(symbol);
    if (bars.length === 0) {
      return 0;
    }
    // Versions only grow within this process, so a later write of the same date always wins.
    this.lastVersion = Math.max(Date.now(), this.lastVersion + 1);
    const version = this.lastVersion;
    // Rows travel as JSONEachRow in the request body: data, never SQL text.
    await this.client.insert({
      table: `${this.db}.clean_bars`,
      format: 'JSONEachRow',
      values: bars.map((b) => ({
        ticker: symbol,
        date: b.date,
        open: b.open,
        high: b.high,
        low: b.low,
        close: b.close,
        adj_close: b.adjClose,
        volume: b.volume,
        version,
      })),
    });
    return bars.length;
  }

  /** Drops this store's database: tests only, on their own throwaway database. */
  async dropDatabase(): Promise<void> {
    await this.client.command({ query: `DROP DATABASE IF EXISTS ${this.db}` });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
