// Typed configuration from the environment, validated once at start.
import { resolve } from 'node:path';
import { ConfigError } from '../core/index.js';

export interface Config {
  /** @defaultValue 8000 */
  port: number;
  /** @defaultValue '127.0.0.1' */
  host: string;
  /** Data folder. @defaultValue './.stockops' */
  home: string;
  /** @defaultValue 'pglite://$STOCKOPS_HOME/db' */
  databaseUrl: string;
  /** @defaultValue 'file://$STOCKOPS_HOME/artifacts' */
  artifactsUrl: string;
  /** When set, every mutating route needs header `x-api-key` with this value. */
  apiKey: string | null;
  /** Train the sample ticker on first start. @defaultValue true */
  bootstrap: boolean;
  /** Pino log level. @defaultValue 'info' */
  logLevel: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function intFrom(env: Env, key: string, def: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') {
    return def;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${key} must be an integer in [${min}, ${max}], found "${raw}"`);
  }
  return n;
}

export function loadConfig(env: Env = process.env): Config {
  const home = resolve(
    env.STOCKOPS_HOME && env.STOCKOPS_HOME !== '' ? env.STOCKOPS_HOME : '.stockops',
  );
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; found "${logLevel}"`,
    );
  }
  const boot = env.STOCKOPS_BOOTSTRAP ?? 'true';
  if (!['true', 'false', '1', '0'].includes(boot)) {
    throw new ConfigError(`STOCKOPS_BOOTSTRAP must be true or false, found "${boot}"`);
  }
  return {
    port: intFrom(env, 'PORT', 8000, 0, 65535),
    host: env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1',
    home,
    databaseUrl:
      env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : `pglite://${home}/db`,
    artifactsUrl:
      env.ARTIFACTS_URL && env.ARTIFACTS_URL !== ''
        ? env.ARTIFACTS_URL
        : `file://${home}/artifacts`,
    apiKey: env.STOCKOPS_API_KEY && env.STOCKOPS_API_KEY !== '' ? env.STOCKOPS_API_KEY : null,
    bootstrap: boot === 'true' || boot === '1',
    logLevel,
  };
}
