// The AliasLog port: the append-only audit trail of alias moves, kept beside whichever registry is used.

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

/** Append-only log of alias moves (who, why, with which numbers). */
export interface AliasLog {
  record(event: Omit<AliasEvent, 'id' | 'at'>): Promise<AliasEvent>;
  list(name: string): Promise<AliasEvent[]>;
}
