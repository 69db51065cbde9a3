// A PriceStore whose cleaned series is also kept in, and read from, an OLAP store (ClickHouse when CLICKHOUSE_URL is set).
import type {
  Bar,
  CorporateAction,
  DateRange,
  KeyedQuarantinedRow,
  PriceStore,
  QuarantineEntry,
  RawBar,
  SeriesStore,
  StoredAction,
  TickerSummary,
  UpsertCounts,
} from '../core/index.js';

/**
 * Raw bars, actions and the quarantine stay in SQL. The cleaned series is written to both (SQL stays a complete
 * record, so dropping CLICKHOUSE_URL loses nothing) and every read of it (history, training, serving) goes to the
 * OLAP store.
 */
export class OlapBackedPriceStore implements PriceStore {
  readonly engine: string;

  constructor(
    private readonly sql: PriceStore,
    private readonly olap: SeriesStore,
  ) {
    this.engine = `${sql.engine}+${olap.engine}`;
  }

  listTickers(): Promise<TickerSummary[]> {
    return this.olap.listTickers();
  }
  getTicker(symbol: string): Promise<TickerSummary | null> {
    return this.olap.getTicker(symbol);
  }
  getBars(symbol: string, range?: DateRange): Promise<Bar[]> {
    return this.olap.getBars(symbol, range);
  }
  async writeClean(symbol: string, bars: readonly Bar[]): Promise<number> {
    const written = await this.sql.writeClean(symbol, bars);
    await this.olap.writeClean(symbol, bars);
    return written;
  }
  insertBars(symbol: string, bars: readonly Bar[], source: string): Promise<number> {
    return this.sql.insertBars(symbol, bars, source);
  }
  upsertRawBars(
    symbol: string,
    bars: readonly Bar[],
    source: string,
    fetchedAt: string,
  ): Promise<UpsertCounts> {
    return this.sql.upsertRawBars(symbol, bars, source, fetchedAt);
  }
  getRawBars(symbol: string, range?: DateRange): Promise<RawBar[]> {
    return this.sql.getRawBars(symbol, range);
  }
  getRawSummary(symbol: string): Promise<TickerSummary | null> {
    return this.sql.getRawSummary(symbol);
  }
  upsertActions(
    symbol: string,
    actions: readonly CorporateAction[],
    source: string,
    fetchedAt: string,
  ): Promise<number> {
    return this.sql.upsertActions(symbol, actions, source, fetchedAt);
  }
  getActions(symbol: string): Promise<StoredAction[]> {
    return this.sql.getActions(symbol);
  }
  addQuarantine(
    symbol: string,
    rows: readonly KeyedQuarantinedRow[],
    source: string,
  ): Promise<number> {
    return this.sql.addQuarantine(symbol, rows, source);
  }
  async atomically<T>(fn: (store: PriceStore) => Promise<T>): Promise<T> {
    // The OLAP store has no transaction with SQL: cleaned series written inside are copied to it after the commit.
    const deferred = new Map<string, readonly Bar[]>();
    const olap = this.olap;
    const recorder: SeriesStore = {
      engine: olap.engine,
      listTickers: () => olap.listTickers(),
      getTicker: (symbol) => olap.getTicker(symbol),
      getBars: (symbol, range) => olap.getBars(symbol, range),
      writeClean: (symbol, bars) => {
        deferred.set(symbol, bars);
        return Promise.resolve(bars.length);
      },
    };
    const result = await this.sql.atomically((tx) => fn(new OlapBackedPriceStore(tx, recorder)));
    for (const [symbol, bars] of deferred) {
      await olap.writeClean(symbol, bars);
    }
    return result;
  }
  listQuarantine(symbol?: string): Promise<QuarantineEntry[]> {
    return this.sql.listQuarantine(symbol);
  }
}

/**
 * Copies to the OLAP store every ticker whose cleaned series there differs in size or range from SQL's: a data
 * folder that gains CLICKHOUSE_URL later (or a ClickHouse that lost data) serves complete history from the start.
 * Returns the tickers copied.
 */
export async function backfillOlap(sql: SeriesStore, olap: SeriesStore): Promise<string[]> {
  const [mine, theirs] = await Promise.all([sql.listTickers(), olap.listTickers()]);
  const have = new Map(theirs.map((t) => [t.symbol, t]));
  const copied: string[] = [];
  for (const t of mine) {
    const o = have.get(t.symbol);
    if (!o || o.rows !== t.rows || o.firstDate !== t.firstDate || o.lastDate !== t.lastDate) {
      await olap.writeClean(t.symbol, await sql.getBars(t.symbol));
      copied.push(t.symbol);
    }
  }
  return copied;
}
