// PriceStore on SQL: raw bars as fetched, corporate actions, the cleaned series and the quarantine of refused rows.
import {
  InvalidInputError,
  type Bar,
  type CorporateAction,
  type DateRange,
  type KeyedQuarantinedRow,
  type PriceStore,
  type QuarantineEntry,
  type RawBar,
  type StoredAction,
  type TickerSummary,
  type UpsertCounts,
} from '../../core/index.js';
import type { SqlClient } from './client.js';
import { BinaryCopyWriter, pgDate, pgTimestamptz } from './copy-binary.js';

/**
 * Rows per statement or COPY. Each column travels as one array parameter through unnest() (or the rows as one COPY
 * payload), so the size is bounded by memory, not by PostgreSQL's 65535-parameter limit; 10k rows keeps one
 * statement's data at about a megabyte.
 */
const BATCH = 10_000;

/**
 * One column of a batch as a PostgreSQL array literal, bound as a single text parameter. `pg` would send a JS array
 * with every element quoted, which costs the client and the server about twice as much as this; elements here are
 * finite numbers, NULL or checked YYYY-MM-DD dates, so none needs quoting.
 */
function arrayLiteral(values: readonly (number | string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    if (typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) {
      throw new InvalidInputError('date', `"${v.slice(0, 20)}" is not a YYYY-MM-DD date`);
    }
    out += (i === 0 ? '' : ',') + (v === null ? 'NULL' : String(v));
  }
  return `${out}}`;
}

/** The seven column literals of a batch, in the order of the unnest() arguments below. */
const columns = (bars: readonly Bar[]) => [
  arrayLiteral(bars.map((b) => b.date)),
  arrayLiteral(bars.map((b) => b.open)),
  arrayLiteral(bars.map((b) => b.high)),
  arrayLiteral(bars.map((b) => b.low)),
  arrayLiteral(bars.map((b) => b.close)),
  arrayLiteral(bars.map((b) => b.adjClose)),
  arrayLiteral(bars.map((b) => b.volume)),
];

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Bytes per bar in a COPY payload besides the text fields: field count, a date and six float8, each with its length. */
const BAR_BYTES = 2 + 8 + 6 * 12;

/**
 * New bars of one symbol as a binary COPY payload: symbol, date, the six values, then `extra` (source and fetch
 * time for raw bars). Binary spares the server parsing 3 million numbers from text per 500k bars, which in PGlite's
 * WebAssembly costs more than storing them.
 */
function barsCopy(
  symbol: string,
  bars: readonly Bar[],
  extra?: { source: string; fetchedAt: string },
): Uint8Array {
  const sym = utf8(symbol);
  const src = extra ? utf8(extra.source) : null;
  const at = extra ? pgTimestamptz(extra.fetchedAt) : 0n;
  const w = new BinaryCopyWriter(
    bars.length,
    BAR_BYTES + 4 + sym.length + (src ? 16 + src.length : 0),
  );
  for (const b of bars) {
    w.row(src ? 10 : 8)
      .text(sym)
      .date(pgDate(b.date))
      .float8(b.open)
      .float8(b.high)
      .float8(b.low)
      .float8(b.close)
      .float8(b.adjClose)
      .float8(b.volume);
    if (src) {
      w.text(src).timestamptz(at);
    }
  }
  return w.finish();
}

const BAR_COLUMNS = ['symbol', 'date', 'open', 'high', 'low', 'close', 'adj_close', 'volume'];

/**
 * Holds, until commit, the right to write one symbol's rows in `table`. Every writer of the table takes it before
 * reading, so dates the read finds missing are still missing when COPY (which has no `on conflict`) inserts them,
 * and the counts returned are exact even with concurrent writers. Taken in a statement of its own: under READ
 * COMMITTED the next statement's snapshot then includes whatever the previous holder committed.
 */
async function lockSymbol(
  tx: SqlClient,
  table: 'raw_bars' | 'clean_bars',
  symbol: string,
): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))::text as locked', [
    `${table}:${symbol}`,
  ]);
}

const UNNEST_BARS = `unnest($2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[])
  as t(d, o, h, l, c, a, v)`;

const summarize = (
  r: { first: string | null; last: string | null; n: string | number },
  symbol: string,
) =>
  !r.first || !r.last || Number(r.n) === 0
    ? null
    : { symbol, firstDate: r.first, lastDate: r.last, rows: Number(r.n) };

const sameValues = (a: Bar, b: Bar) =>
  a.open === b.open &&
  a.high === b.high &&
  a.low === b.low &&
  a.close === b.close &&
  a.adjClose === b.adjClose &&
  a.volume === b.volume;

/** [date, open, high, low, close, adj_close, volume, source?, fetched ms?] as json_agg delivers it. */
type BarTuple = [string, number, number, number, number, number, number | null, string?, number?];

/**
 * Reads bars as one JSON array built by the server instead of one protocol row per bar: PGlite decodes rows in
 * WebAssembly and JavaScript at a few microseconds each, about five times the cost of one JSON.parse of the same
 * data. float8 is printed shortest-exact (PostgreSQL >= 12), so values round-trip bit for bit.
 */
async function barTuples(
  db: SqlClient,
  table: 'raw_bars' | 'clean_bars',
  symbol: string,
  range: DateRange,
  withSource = false,
): Promise<BarTuple[]> {
  const extra = withSource ? ', source, (extract(epoch from fetched_at) * 1000)::float8' : '';
  // Only the bounds given: `($2 is null or date >= $2)` would make the planner scan every row of the symbol,
  // where a bound alone is an index range scan (serving reads the last hundred bars of thousands).
  const params: string[] = [symbol];
  let where = 'symbol = $1';
  if (range.from !== undefined) {
    params.push(range.from);
    where += ` and date >= $${params.length}::date`;
  }
  if (range.to !== undefined) {
    params.push(range.to);
    where += ` and date <= $${params.length}::date`;
  }
  const rows = await db.query<{ j: string }>(
    `select coalesce(json_agg(json_build_array(date::text, open, high, low, close, adj_close, volume${extra})
       order by date), '[]')::text as j
     from ${table}
     where ${where}`,
    params,
  );
  return JSON.parse(rows[0]?.j ?? '[]') as BarTuple[];
}

/**
 * A bar as an object literal of one shape, without conditional spreads: serving reads these on every cache miss,
 * and a spread in a literal takes V8's slow path (it was most of the time of a read of a year of bars).
 */
const toBar = ([date, open, high, low, close, adjClose, volume]: BarTuple): Bar => ({
  date,
  open,
  high,
  low,
  close,
  adjClose,
  volume,
});

async function readBars(
  db: SqlClient,
  table: 'raw_bars' | 'clean_bars',
  symbol: string,
  range: DateRange,
): Promise<Bar[]> {
  return (await barTuples(db, table, symbol, range)).map(toBar);
}

/**
 * Splits bars into new dates, changed values and unchanged rows against what one table holds for the symbol in
 * their date range. Reading first and writing only the difference is what makes a re-run cheap (nothing is
 * written) and a first load fast (a COPY, with no per-row `on conflict` check, which costs more than the insert
 * itself): both engines store float8 exactly, so equality is exact. Callers hold `lockSymbol` for the table.
 */
async function diffAgainst(
  tx: SqlClient,
  table: 'raw_bars' | 'clean_bars',
  symbol: string,
  bars: readonly Bar[],
): Promise<{ fresh: Bar[]; changed: Bar[] }> {
  if (bars.length === 0) {
    return { fresh: [], changed: [] };
  }
  let from = bars[0]?.date ?? '';
  let to = from;
  for (const b of bars) {
    from = b.date < from ? b.date : from;
    to = b.date > to ? b.date : to;
  }
  const rows = await readBars(tx, table, symbol, { from, to });
  const stored = new Map(rows.map((r) => [r.date, r]));
  const fresh: Bar[] = [];
  const changed: Bar[] = [];
  for (const b of bars) {
    const s = stored.get(b.date);
    if (!s) {
      fresh.push(b);
    } else if (!sameValues(b, s)) {
      changed.push(b);
    }
  }
  return { fresh, changed };
}

export class SqlPriceStore implements PriceStore {
  readonly engine: string;

  constructor(private readonly db: SqlClient) {
    this.engine = db.engine;
  }

  async listTickers(): Promise<TickerSummary[]> {
    const rows = await this.db.query<{
      symbol: string;
      first: string;
      last: string;
      n: string | number;
    }>(
      `select symbol, min(date)::text as first, max(date)::text as last, count(*) as n
       from clean_bars group by symbol order by symbol`,
    );
    return rows.map((r) => ({
      symbol: r.symbol,
      firstDate: r.first,
      lastDate: r.last,
      rows: Number(r.n),
    }));
  }

  async getTicker(symbol: string): Promise<TickerSummary | null> {
    return this.summary('clean_bars', symbol);
  }

  async getRawSummary(symbol: string): Promise<TickerSummary | null> {
    return this.summary('raw_bars', symbol);
  }

  private async summary(
    table: 'clean_bars' | 'raw_bars',
    symbol: string,
  ): Promise<TickerSummary | null> {
    const rows = await this.db.query<{
      first: string | null;
      last: string | null;
      n: string | number;
    }>(
      `select min(date)::text as first, max(date)::text as last, count(*) as n from ${table} where symbol = $1`,
      [symbol],
    );
    return rows[0] ? summarize(rows[0], symbol) : null;
  }

  async getBars(symbol: string, range: DateRange = {}): Promise<Bar[]> {
    return readBars(this.db, 'clean_bars', symbol, range);
  }

  async getRawBars(symbol: string, range: DateRange = {}): Promise<RawBar[]> {
    const tuples = await barTuples(this.db, 'raw_bars', symbol, range, true);
    return tuples.map((t) => ({
      ...toBar(t),
      source: t[7] ?? '',
      fetchedAt: new Date(Math.round(t[8] ?? 0)).toISOString(),
    }));
  }

  async insertBars(symbol: string, bars: readonly Bar[], source: string): Promise<number> {
    let inserted = 0;
    await this.db.transaction(async (tx) => {
      await lockSymbol(tx, 'raw_bars', symbol);
      for (let i = 0; i < bars.length; i += BATCH) {
        const chunk = bars.slice(i, i + BATCH);
        const res = await tx.query<{ n: number }>(
          `with ins as (
             insert into raw_bars (symbol, date, open, high, low, close, adj_close, volume, source)
             select $1, d::date, o, h, l, c, a, v, $9 from ${UNNEST_BARS}
             on conflict (symbol, date) do nothing
             returning 1
           ) select count(*)::int as n from ins`,
          [symbol, ...columns(chunk), source],
        );
        inserted += res[0]?.n ?? 0;
      }
    });
    return inserted;
  }

  async upsertRawBars(
    symbol: string,
    bars: readonly Bar[],
    source: string,
    fetchedAt: string,
  ): Promise<UpsertCounts> {
    return this.db.transaction(async (tx) => {
      await lockSymbol(tx, 'raw_bars', symbol);
      const { fresh, changed } = await diffAgainst(tx, 'raw_bars', symbol, bars);
      for (let i = 0; i < fresh.length; i += BATCH) {
        await tx.copyFrom(
          'raw_bars',
          [...BAR_COLUMNS, 'source', 'fetched_at'],
          barsCopy(symbol, fresh.slice(i, i + BATCH), { source, fetchedAt }),
        );
      }
      for (let i = 0; i < changed.length; i += BATCH) {
        await tx.query(
          `update raw_bars r set open = t.o, high = t.h, low = t.l, close = t.c, adj_close = t.a, volume = t.v,
             source = $9, fetched_at = $10::timestamptz
           from ${UNNEST_BARS} where r.symbol = $1 and r.date = t.d::date`,
          [symbol, ...columns(changed.slice(i, i + BATCH)), source, fetchedAt],
        );
      }
      return {
        inserted: fresh.length,
        updated: changed.length,
        unchanged: bars.length - fresh.length - changed.length,
      };
    });
  }

  async writeClean(symbol: string, bars: readonly Bar[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      await lockSymbol(tx, 'clean_bars', symbol);
      const { fresh, changed } = await diffAgainst(tx, 'clean_bars', symbol, bars);
      for (let i = 0; i < fresh.length; i += BATCH) {
        // cleaned_at takes its default, now().
        await tx.copyFrom('clean_bars', BAR_COLUMNS, barsCopy(symbol, fresh.slice(i, i + BATCH)));
      }
      for (let i = 0; i < changed.length; i += BATCH) {
        await tx.query(
          `update clean_bars r set open = t.o, high = t.h, low = t.l, close = t.c, adj_close = t.a, volume = t.v,
             cleaned_at = now()
           from ${UNNEST_BARS} where r.symbol = $1 and r.date = t.d::date`,
          [symbol, ...columns(changed.slice(i, i + BATCH))],
        );
      }
      return fresh.length + changed.length;
    });
  }

  async upsertActions(
    symbol: string,
    actions: readonly CorporateAction[],
    source: string,
    fetchedAt: string,
  ): Promise<number> {
    if (actions.length === 0) {
      return 0;
    }
    const num = (a: CorporateAction) => (a.kind === 'split' ? a.numerator : null);
    const den = (a: CorporateAction) => (a.kind === 'split' ? a.denominator : null);
    const amt = (a: CorporateAction) => (a.kind === 'dividend' ? a.amount : null);
    const rows = await this.db.query<{ n: number }>(
      `with up as (
         insert into corporate_actions (symbol, date, kind, numerator, denominator, amount, source, fetched_at)
         select $1, d::date, k, n, m, a, $7, $8::timestamptz
         from unnest($2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[]) as t(d, k, n, m, a)
         on conflict (symbol, date, kind) do update set
           numerator = excluded.numerator, denominator = excluded.denominator, amount = excluded.amount,
           source = excluded.source, fetched_at = excluded.fetched_at
         where (corporate_actions.numerator, corporate_actions.denominator, corporate_actions.amount)
           is distinct from (excluded.numerator, excluded.denominator, excluded.amount)
         returning 1
       ) select count(*)::int as n from up`,
      [
        symbol,
        actions.map((a) => a.date),
        actions.map((a) => a.kind),
        actions.map(num),
        actions.map(den),
        actions.map(amt),
        source,
        fetchedAt,
      ],
    );
    return rows[0]?.n ?? 0;
  }

  async getActions(symbol: string): Promise<StoredAction[]> {
    const rows = await this.db.query<{
      date: string;
      kind: string;
      numerator: number | null;
      denominator: number | null;
      amount: number | null;
      source: string;
      fetched_ms: number | string;
    }>(
      `select date::text as date, kind, numerator, denominator, amount, source,
         (extract(epoch from fetched_at) * 1000)::float8 as fetched_ms
       from corporate_actions where symbol = $1 order by date, kind`,
      [symbol],
    );
    return rows.map((r): StoredAction => {
      const meta = {
        source: r.source,
        fetchedAt: new Date(Math.round(Number(r.fetched_ms))).toISOString(),
      };
      return r.kind === 'split'
        ? {
            kind: 'split',
            date: r.date,
            numerator: r.numerator ?? 1,
            denominator: r.denominator ?? 1,
            ...meta,
          }
        : { kind: 'dividend', date: r.date, amount: r.amount ?? 0, ...meta };
    });
  }

  async addQuarantine(
    symbol: string,
    rows: readonly KeyedQuarantinedRow[],
    source: string,
  ): Promise<number> {
    let added = 0;
    for (let i = 0; i < rows.length; i += BATCH) {
      const chunk = rows.slice(i, i + BATCH);
      const res = await this.db.query<{ n: number }>(
        `with ins as (
           insert into quarantine (symbol, line, reason, raw, source, row_key)
           select $1, l, r, w, $5, k from unnest($2::int[], $3::text[], $4::text[], $6::text[]) as t(l, r, w, k)
           on conflict (symbol, row_key) do nothing
           returning 1
         ) select count(*)::int as n from ins`,
        [
          symbol,
          chunk.map((r) => r.line),
          chunk.map((r) => r.reason),
          chunk.map((r) => r.raw),
          source,
          chunk.map((r) => r.key),
        ],
      );
      added += res[0]?.n ?? 0;
    }
    return added;
  }

  atomically<T>(fn: (store: PriceStore) => Promise<T>): Promise<T> {
    // Every write method below runs through db.transaction, which joins this one on both engines.
    return this.db.transaction((tx) => fn(new SqlPriceStore(tx)));
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
