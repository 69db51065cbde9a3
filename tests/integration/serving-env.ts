// Helpers of the serving stack tests: replicas of `stockops start` on a shared PostgreSQL and Redis, and nginx in
// front of them (scripts/services/nginx.sh); a missing server fails naming the script that starts it.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { trainModel } from '../../src/services/index.js';
import { openStores } from '../../src/stores/index.js';
import { syms } from '../../src/core/testing/index.js';
import { ROOT, startProcess, type Proc } from './jobs-env.js';

const run = promisify(execFile);

export interface Replica extends Proc {
  url: string;
  instance: string;
  /** host:port, as nginx names it. */
  address: string;
}

/** Starts `stockops start` as replica `instance` and resolves once /api/ready would answer 200. */
export async function startReplica(
  env: Record<string, string>,
  instance: string,
  extra: Record<string, string> = {},
): Promise<Replica> {
  const p = await startProcess(
    ['start'],
    { ...env, PORT: '0', STOCKOPS_INSTANCE: instance, STOCKOPS_SCHEDULES: 'false', ...extra },
    /ready on (http:\/\/\S+)/,
  );
  const url = p.match[1] ?? '';
  return { ...p, url, instance, address: url.replace(/^http:\/\//, '') };
}

export interface Nginx {
  url: string;
  stop(): Promise<void>;
}

/** nginx (scripts/services/nginx.sh) over the replicas, in a prefix of its own; stopped by its PID file. */
export async function startNginx(
  replicas: readonly Replica[],
  env: Record<string, string> = {},
): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'stockops-nginx-'));
  const script = join(ROOT, 'scripts', 'services', 'nginx.sh');
  const opts = { cwd: ROOT, env: { ...process.env, NGINX_DIR: dir, ...env } };
  let stdout: string;
  try {
    ({ stdout } = await run('bash', [script, 'start', ...replicas.map((r) => r.address)], opts));
  } catch (e) {
    throw new Error(
      `nginx did not start with scripts/services/nginx.sh: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const url = /NGINX_URL=(\S+)/.exec(stdout)?.[1];
  if (!url) {
    throw new Error(`scripts/services/nginx.sh printed no NGINX_URL: ${stdout}`);
  }
  return {
    url,
    stop: async () => {
      await run('bash', [script, 'stop'], opts);
    },
  };
}

/** Trains cheap models for ^GSPC on the stack's database before any replica starts: naive then drift at h1, naive at h5. */
export async function seedModels(env: Record<string, string>): Promise<void> {
  const stores = await openStores({
    databaseUrl: env.DATABASE_URL ?? '',
    artifactsUrl: env.ARTIFACTS_URL ?? '',
  });
  try {
    const [gspc] = syms('^GSPC');
    if (!gspc) {
      throw new Error('no symbol');
    }
    for (const [model, horizon] of [
      ['naive', 1],
      ['drift', 1],
      ['naive', 5],
    ] as const) {
      await trainModel(stores, { ticker: gspc, model, horizon, actor: 'test' });
    }
  } finally {
    await stores.close();
  }
}
