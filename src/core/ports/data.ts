// Ports of the data platform: raw and cleaned price stores, price sources, Parquet snapshots, the ETL run log.
import type {
  Bar,
  CorporateAction,
  QualityCheck,
  QuarantinedRow,
  RawBar,
  StoredAction,
} from '../data/index.js';

export interface TickerSummary {
  symbol: string;
  firstDate: string;
  lastDate: string;
  rows: number;
}

export interface QuarantineEntry extends QuarantinedRow {
  id: number;
  symbol: string;
  source: string;
  createdAt: string;
}

export interface DateRange {
  /** Inclusive YYYY-MM-DD bounds. */
  from?: string;
  to?: string;
}

/**
 * The cleaned daily series: what features, training, serving and history read. The SQL store holds it by default;
 * ClickHouse (an OLAP store) holds and serves it when CLICKHOUSE_URL is set.
 */
export interface SeriesStore {
  /** Engine name for messages and health, e.g. "pglite", "postgres", "clickhouse". */
  readonly engine: string;
  listTickers(): Promise<TickerSummary[]>;
  getTicker(symbol: string): Promise<TickerSummary | null>;
  /** Bars sorted by date. */
  getBars(symbol: string, range?: DateRange): Promise<Bar[]>;
  /** Writes cleaned bars of one ticker; a date already present is replaced. Returns the rows written. */
  writeClean(symbol: string, bars: readonly Bar[]): Promise<number>;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Raw bars as fetched or imported, corporate actions and the quarantine, beside the cleaned series. */
export interface PriceStore extends SeriesStore {
  /**
   * Inserts raw bars; a (symbol, date) already stored is left unchanged, so an import never rewrites history.
   * Returns the number inserted.
   */
  insertBars(symbol: string, bars: readonly Bar[], source: string): Promise<number>;
  /**
   * Upserts raw bars on (symbol, date) as a source delivered them at `fetchedAt`: new dates are inserted, changed
   * values replace the stored ones (with the new source and fetch time), identical rows are left as they are, so
   * re-running a fetch changes nothing.
   */
  upsertRawBars(
    symbol: string,
    bars: readonly Bar[],
    source: string,
    fetchedAt: string,
  ): Promise<UpsertCounts>;
  /** Raw bars sorted by date. */
  getRawBars(symbol: string, range?: DateRange): Promise<RawBar[]>;
  /** First and last raw date and the raw row count, or null when nothing raw is stored. */
  getRawSummary(symbol: string): Promise<TickerSummary | null>;
  /** Upserts actions on (symbol, date, kind); returns how many were new or changed. */
  upsertActions(
    symbol: string,
    actions: readonly CorporateAction[],
    source: string,
    fetchedAt: string,
  ): Promise<number>;
  /** Actions sorted by date. */
  getActions(symbol: string): Promise<StoredAction[]>;
  addQuarantine(symbol: string, rows: readonly QuarantinedRow[], source: string): Promise<void>;
  listQuarantine(symbol?: string): Promise<QuarantineEntry[]>;
}

/** One bar as a source sent it: values may be missing, and `raw` keeps the original for the quarantine. */
export interface SourceBar {
  date: string;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  adjClose: number | null;
  volume: number | null;
  raw: string;
}

export interface SourceFetch {
  symbol: string;
  /** Source name stored with each raw bar, e.g. "yahoo". */
  source: string;
  /** ISO timestamp of the fetch. */
  fetchedAt: string;
  /** IANA time zone of the exchange; bar dates are calendar dates there. */
  timezone: string;
  bars: SourceBar[];
  actions: CorporateAction[];
  /** Date of a bar left out because its session had not closed yet (it is fetched again next time). */
  inProgress: string | null;
}

/** Daily bars and corporate actions from outside (Yahoo Finance, or recorded responses in tests). */
export interface PriceSource {
  readonly name: string;
  /**
   * Daily bars from `from` (inclusive, YYYY-MM-DD) to now; the full history when `from` is absent. Throws
   * SourceError (rate_limited, schema, not_found, unavailable) for this ticker only.
   */
  fetchDaily(symbol: string, options?: { from?: string }): Promise<SourceFetch>;
}

/** A snapshot of one ticker's cleaned series, named by the digest of its bytes. */
export interface DatasetRef {
  name: string;
  symbol: string;
  /** sha256 of the file bytes (hex): the same bars give the same file and the same name. */
  digest: string;
  uri: string;
  /** 'digest-only' when no snapshot store was configured: the digest of the bars, without a file. */
  format: 'parquet' | 'digest-only';
  rows: number;
  from: string;
  to: string;
  bytes: number;
}

/** Content-addressed snapshots of cleaned series (Parquet under the artifact store). */
export interface DatasetStore {
  /** Writes the snapshot unless a file with the same digest exists; returns its reference either way. */
  snapshot(symbol: string, bars: readonly Bar[]): Promise<DatasetRef>;
  /** Reads a snapshot back by digest (throws ArtifactNotFoundError when there is none). */
  read(digest: string): Promise<{ symbol: string; bars: Bar[] }>;
}

export type EtlStepName = 'extract' | 'validate' | 'load_raw' | 'clean' | 'quality' | 'snapshot';

export interface EtlStepReport {
  step: EtlStepName;
  ms: number;
  /** Tickers that entered the step and that failed in it, plus the step's own counts. */
  counts: Record<string, number>;
}

export interface EtlTickerResult {
  symbol: string;
  status: 'ok' | 'failed';
  /** The step where it failed, and why. */
  error?: {
    step: EtlStepName;
    code: string;
    message: string;
    /** A source failure's kind (not_found, rate_limited, unavailable, schema), so a client can say what to do. */
    kind?: string;
  };
  fetched: number;
  quarantined: number;
  inserted: number;
  updated: number;
  unchanged: number;
  actions: number;
  cleanRows: number;
  from: string | null;
  to: string | null;
  snapshot?: DatasetRef;
}

export type EtlRunStatus = 'running' | 'completed' | 'partial' | 'failed';

export interface EtlRunRecord {
  id: string;
  status: EtlRunStatus;
  trigger: string;
  /** The `etl` flow run that ran it, when a flow did. */
  flowRunId: string | null;
  tickers: string[];
  startedAt: number;
  endedAt: number | null;
  steps: EtlStepReport[];
  results: EtlTickerResult[];
  quality: QualityCheck[];
}

/** Where ETL runs, their step counts and quality checks are recorded. */
export interface EtlRunLog {
  start(run: {
    id: string;
    trigger: string;
    tickers: string[];
    startedAt: number;
    flowRunId?: string | null;
  }): Promise<void>;
  /** The steps and per-ticker results so far, while the run is running (a client follows it). */
  progress(id: string, sofar: Pick<EtlRunRecord, 'steps' | 'results'>): Promise<void>;
  finish(
    id: string,
    outcome: Pick<EtlRunRecord, 'status' | 'endedAt' | 'steps' | 'results' | 'quality'>,
  ): Promise<void>;
  /** Newest first; only those of one flow run when `flowRunId` is given. */
  list(limit?: number, flowRunId?: string): Promise<EtlRunRecord[]>;
  /** Throws EtlRunNotFoundError for an unknown id. */
  get(id: string): Promise<EtlRunRecord>;
}
