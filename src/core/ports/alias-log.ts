// The AliasLog port: the append-only audit trail of alias moves, kept beside whichever registry is used, and the one
// way an alias moves, so that no move is ever left without its record.
import type { Registry } from './model-registry.js';

export interface AliasEvent {
  id: number;
  name: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  actor: string;
  reason: string;
  metrics: Record<string, number>;
  at: number;
}

/** An alias move to make: where the alias goes, who moves it, why, and the numbers behind it. */
export interface AliasMove {
  name: string;
  alias: string;
  version: number;
  actor: string;
  reason: string;
  metrics: Record<string, number>;
}

/** Append-only log of alias moves (who, why, with which numbers). */
export interface AliasLog {
  record(event: Omit<AliasEvent, 'id' | 'at'>): Promise<AliasEvent>;
  /** Moves that happened, newest first (a move still being made is not listed). */
  list(name: string): Promise<AliasEvent[]>;
  /**
   * Points `move.alias` at `move.version` in `registry` and records the move, so that neither is kept without the
   * other. With the registry on the same SQL store both happen in one transaction; with another registry (MLflow)
   * the record is written first as pending, the alias moved, the record confirmed, and `repair` settles what a
   * crash in between left. Null when the alias already points there (nothing moves, nothing is recorded).
   */
  move(registry: Registry, move: AliasMove): Promise<AliasEvent | null>;
  /**
   * Settles records left pending by a crash between record and move: confirmed when the registry shows the alias
   * where the record says it went, dropped when it does not (the move never happened). Run at start.
   */
  repair(registry: Registry): Promise<{ confirmed: number; dropped: number }>;
}
