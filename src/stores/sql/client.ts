// The SQL client every SQL-backed adapter uses, whatever engine sits behind it.

export type SqlValue = string | number | boolean | null | readonly (string | number | null)[];

export interface SqlClient {
  /** Engine name for messages, e.g. "pglite" or "postgres". */
  readonly engine: string;
  /** Runs one parameterised statement ($1, $2, ...); values are never spliced into the text. */
  query<T extends object>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Loads rows into `table` with one `COPY table (columns) FROM ...` in PostgreSQL's binary format (payload built
   * with `BinaryCopyWriter`); returns the rows copied. Table and column names come from code, never from input.
   */
  copyFrom(table: string, columns: readonly string[], data: Uint8Array): Promise<number>;
  /** Runs a script of statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction; it rolls back if `fn` throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
