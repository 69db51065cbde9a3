// The QuarantineCounts port: how many rows imports and the ETL refused per ticker since a time, for the quarantine-spike alert.

export interface QuarantineCounts {
  /** Rows quarantined at or after `since` (ms since the epoch), per ticker that has any. */
  countSince(since: number): Promise<{ ticker: string; rows: number }[]>;
}
