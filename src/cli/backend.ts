// Where a CLI command runs: through the server that holds the embedded database, or in this process.
import type { Config } from '../config/index.js';
import { StoreBusyError } from '../core/index.js';
import { openRuntime, type Runtime } from '../runtime/index.js';
import { lockPathOf, readLock } from '../stores/index.js';

export interface HttpBackend {
  url: string;
  request<T>(
    method: string,
    path: string,
    body?: { json?: unknown; bytes?: Uint8Array },
  ): Promise<T>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function httpBackend(url: string, apiKey: string | null): HttpBackend {
  return {
    url,
    async request<T>(
      method: string,
      path: string,
      body?: { json?: unknown; bytes?: Uint8Array },
    ): Promise<T> {
      const headers: Record<string, string> = {};
      if (apiKey !== null) {
        headers['x-api-key'] = apiKey;
      }
      let payload: string | Uint8Array | undefined;
      if (body?.json !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body.json);
      } else if (body?.bytes) {
        headers['content-type'] = 'text/csv';
        payload = body.bytes;
      }
      const res = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
      });
      const text = await res.text();
      const parsed = text === '' ? null : (JSON.parse(text) as unknown);
      if (!res.ok) {
        const err = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
        throw new HttpError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? text);
      }
      return parsed as T;
    },
  };
}

/**
 * PGlite is single-process: when a server holds the data folder, commands go through its API; when
 * nothing does, the command opens the database itself (and holds the lock while it runs).
 */
export async function runCommand<T>(
  config: Config,
  viaHttp: (api: HttpBackend) => Promise<T>,
  local: (rt: Runtime) => Promise<T>,
  onWait?: (message: string) => void,
): Promise<T> {
  const lockPath = lockPathOf(config.databaseUrl);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const holder = lockPath ? readLock(lockPath) : null;
    if (holder?.url) {
      return viaHttp(httpBackend(holder.url, config.apiKey));
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
