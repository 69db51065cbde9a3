// The InvalidationBus port: tells every serving process which cached forecasts went stale (an alias moved, new bars landed).

/**
 * What went stale: a model's champion, a ticker's cleaned series, or everything (a listener that may have
 * missed messages, e.g. after a reconnect, is told to forget all it holds).
 */
export type Invalidation =
  { kind: 'champion'; model: string } | { kind: 'bars'; ticker: string } | { kind: 'all' };

export interface InvalidationBus {
  /**
   * True while invalidations published by other processes reach this one (a connected Redis subscription).
   * When false, a cache must not trust what it holds for long: it re-reads instead.
   */
  listening(): boolean;
  /** Hands the message to every subscriber, in this process at once and in the others as the transport allows. */
  publish(invalidation: Invalidation): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(handler: (invalidation: Invalidation) => void): () => void;
  close(): Promise<void>;
}
