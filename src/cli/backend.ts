// Where a CLI command runs: through the server that holds the embedded database (with the contract's client), or in this process.
import { createApiClient, type ApiClient } from '../api/index.js';
import type { Config } from '../config/index.js';
import { StoreBusyError } from '../core/index.js';
import { openRuntime, type Runtime } from '../runtime/index.js';
import { lockPathOf, readLock } from '../stores/index.js';

/**
 * PGlite is single-process: when a server holds the data folder, commands go through its API; when
 * nothing does, the command opens the database itself (and holds the lock while it runs).
 */
export async function runCommand<T>(
  config: Config,
  viaHttp: (api: ApiClient) => Promise<T>,
  local: (rt: Runtime) => Promise<T>,
  onWait?: (message: string) => void,
): Promise<T> {
  const lockPath = lockPathOf(config.databaseUrl);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const holder = lockPath ? readLock(lockPath) : null;
    if (holder?.url) {
      return viaHttp(createApiClient({ baseUrl: holder.url, apiKey: () => config.apiKey }));
    }
    if (!holder) {
      let rt: Runtime;
      try {
        rt = await openRuntime(config, 'cli');
      } catch (e) {
        // Lost a race with another process taking the lock: look again.
        if (e instanceof StoreBusyError && Date.now() < deadline) {
          continue;
        }
        throw e;
      }
      try {
        return await local(rt);
      } finally {
        await rt.close();
      }
    }
    if (Date.now() > deadline) {
      throw new StoreBusyError(
        `The embedded database is still held by ${holder.role} process ${holder.pid} after 120 s; retry when it has finished`,
      );
    }
    onWait?.(
      `waiting for ${holder.role} process ${holder.pid} to release the embedded database...`,
    );
    await new Promise((r) => setTimeout(r, 500));
  }
}
