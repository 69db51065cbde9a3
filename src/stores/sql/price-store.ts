// PriceStore on SQL: raw daily bars keyed by (symbol, date) and the quarantine of refused rows.
import type {
  Bar,
  PriceStore,
  QuarantineEntry,
  QuarantinedRow,
  TickerSummary,
} from '../../core/index.js';
import type { SqlClient } from './client.js';

/** Rows per INSERT: keeps each statement far below PostgreSQL's 65535-parameter limit. */
const BATCH = 2000;

interface BarRow {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  adj_close: number;
  volume: number | null;
}

export class SqlPriceStore implements PriceStore {
  constructor(private readonly db: SqlClient) {}

  async listTickers(): Promise<TickerSummary[]> {
    const rows = await this.db.query<{
      symbol: string;
      first: string;
      last: string;
      n: string | number;
    }>(
      `select symbol, min(date)::text as first, max(date)::text as last, count(*) as n
       from bars group by symbol order by symbol`,
    );
    return rows.map((r) => ({
      symbol: r.symbol,
      firstDate: r.first,
      lastDate: r.last,
      rows: Number(r.n),
    }));
  }

  async getTicker(symbol: string): Promise<TickerSummary | null> {
    const rows = await this.db.query<{
      first: string | null;
      last: string | null;
      n: string | number;
    }>(
      `select min(date)::text as first, max(date)::text as last, count(*) as n from bars where symbol = $1`,
      [symbol],
    );
    const r = rows[0];
    if (!r || Number(r.n) === 0 || !r.first || !r.last) {
      return null;
    }
    return { symbol, firstDate: r.first, lastDate: r.last, rows: Number(r.n) };
  }

  async getBars(symbol: string, range: { from?: string; to?: string } = {}): Promise<Bar[]> {
    const rows = await this.db.query<BarRow>(
      `select date::text as date, open, high, low, close, adj_close, volume from bars
       where symbol = $1 and ($2::date is null or date >= $2::date) and ($3::date is null or date <= $3::date)
       order by date`,
      [symbol, range.from ?? null, range.to ?? null],
    );
    return rows.map((r) => ({
      date: r.date,
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      adjClose: r.adj_close,
      volume: r.volume,
    }));
  }

  async insertBars(symbol: string, bars: readonly Bar[], source: string): Promise<number> {
    let inserted = 0;
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < bars.length; i += BATCH) {
        const chunk = bars.slice(i, i + BATCH);
        // unnest() of typed arrays: one statement per batch with 8 parameters, whatever its size.
        const res = await tx.query<{ n: number }>(
          `with ins as (
             insert into bars (symbol, date, open, high, low, close, adj_close, volume, source)
             select $1, d::date, o, h, l, c, a, v, $9
             from unnest($2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[])
               as t(d, o, h, l, c, a, v)
             on conflict (symbol, date) do nothing
             returning 1
           ) select count(*)::int as n from ins`,
          [
            symbol,
            chunk.map((b) => b.date),
            chunk.map((b) => b.open),
            chunk.map((b) => b.high),
            chunk.map((b) => b.low),
            chunk.map((b) => b.close),
            chunk.map((b) => b.adjClose),
            chunk.map((b) => b.volume),
            source,
          ],
        );
        inserted += res[0]?.n ?? 0;
      }
    });
    return inserted;
  }

  async addQuarantine(
    symbol: string,
    rows: readonly QuarantinedRow[],
    source: string,
  ): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.db.query(
      `insert into quarantine (symbol, line, reason, raw, source)
       select $1, l, r, w, $5 from unnest($2::int[], $3::text[], $4::text[]) as t(l, r, w)`,
      [symbol, rows.map((r) => r.line), rows.map((r) => r.reason), rows.map((r) => r.raw), source],
    );
  }

  async listQuarantine(symbol?: string): Promise<QuarantineEntry[]> {
    const rows = await this.db.query<{
      id: string | number;
      symbol: string;
      line: number;
      reason: string;
      raw: string;
      source: string;
      created_at: Date | string;
    }>(
      `select id, symbol, line, reason, raw, source, created_at from quarantine
       where ($1::text is null or symbol = $1) order by id limit 10000`,
      [symbol ?? null],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      symbol: r.symbol,
      line: r.line,
      reason: r.reason,
      raw: r.raw,
      source: r.source,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }
}
