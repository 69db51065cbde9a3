// The ModelLocks port: one holder per model at a time across processes, so two challengers of one model never pass the promotion gate at once.

export interface ModelLockOptions {
  /** Give up (LockTimeoutError) when the lock is still held after this long. @defaultValue 240_000 */
  waitMs?: number;
  /** A holder that stops renewing is presumed dead after this long. @defaultValue 30_000 */
  leaseMs?: number;
}

export interface ModelLocks {
  /** Runs `fn` holding the lock on `model` (renewed while it runs), then releases it, whatever `fn` did. */
  withLock<T>(model: string, fn: () => Promise<T>, options?: ModelLockOptions): Promise<T>;
}
