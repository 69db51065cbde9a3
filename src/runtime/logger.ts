// The process's one logger (pino, as Fastify uses it): the server's request log, the event bus and the workers write to it.
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** JSON lines at `level`; a CLI command logs to stderr so its stdout stays its answer. */
export function createLogger(
  level: string,
  role: 'server' | 'cli' | 'worker',
  instance: string,
): Logger {
  return pino(
    { level, base: { instance } },
    role === 'cli' ? pino.destination(2) : pino.destination(1),
  );
}
