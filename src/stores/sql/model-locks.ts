// Per-model locks on SQL as leases: taken by one conditional upsert, renewed while held, released by the holder; a dead holder's lease runs out.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { LockTimeoutError, type ModelLockOptions, type ModelLocks } from '../../core/index.js';
import type { SqlClient } from './client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SqlModelLocks implements ModelLocks {
  /** Each holding gets its own id, so a process holding two models' locks (or waiting twice) never confuses them. */
  private readonly process = `${hostname()}:${process.pid}`;

  constructor(
    private readonly db: SqlClient,
    private readonly pollMs = 100,
  ) {}

  private async tryTake(model: string, holder: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const rows = await this.db.query<{ holder: string }>(
      `insert into model_locks (model_name, holder, expires_at) values ($1, $2, $3)
       on conflict (model_name) do update set holder = excluded.holder, expires_at = excluded.expires_at
         where model_locks.expires_at < $4
       returning holder`,
      [model, holder, now + leaseMs, now],
    );
    return rows[0]?.holder === holder;
  }

  private async holderOf(model: string): Promise<string | null> {
    const rows = await this.db.query<{ holder: string }>(
      'select holder from model_locks where model_name = $1',
      [model],
    );
    return rows[0]?.holder ?? null;
  }

  async withLock<T>(
    model: string,
    fn: () => Promise<T>,
    options: ModelLockOptions = {},
  ): Promise<T> {
    const waitMs = options.waitMs ?? 240_000;
    const leaseMs = options.leaseMs ?? 30_000;
    const holder = `${this.process}:${randomUUID()}`;
    const deadline = Date.now() + waitMs;
    while (!(await this.tryTake(model, holder, leaseMs))) {
      if (Date.now() >= deadline) {
        throw new LockTimeoutError(model, waitMs, await this.holderOf(model));
      }
      await sleep(this.pollMs);
    }
    // Renewed at a third of the lease, so two missed renewals still leave it held.
    const renew = setInterval(
      () => {
        void this.db
          .query('update model_locks set expires_at = $3 where model_name = $1 and holder = $2', [
            model,
            holder,
            Date.now() + leaseMs,
          ])
          .catch(() => undefined);
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.db.query('delete from model_locks where model_name = $1 and holder = $2', [
        model,
        holder,
      ]);
    }
  }
}
