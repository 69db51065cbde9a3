// InvalidationBus in one process: the embedded default, where every change is made by the process that serves.
import type { Invalidation, InvalidationBus } from '../../core/index.js';

export class InProcessInvalidationBus implements InvalidationBus {
  private readonly handlers = new Set<(i: Invalidation) => void>();

  /** Nobody else publishes here: a cache in front of a shared database must still re-read now and then. */
  listening(): boolean {
    return false;
  }

  publish(invalidation: Invalidation): Promise<void> {
    for (const h of this.handlers) {
      h(invalidation);
    }
    return Promise.resolve();
  }

  subscribe(handler: (invalidation: Invalidation) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  close(): Promise<void> {
    this.handlers.clear();
    return Promise.resolve();
  }
}
