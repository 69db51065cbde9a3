// Where the real Kafka broker of the event stack tests is; a missing one fails naming its start script.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Admin } from '@platformatic/kafka';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = 'scripts/services/kafka.sh';

export function kafkaBrokers(): string[] {
  const raw = process.env.STACK_KAFKA_BROKERS;
  if (raw === undefined || raw === '') {
    throw new Error(
      `STACK_KAFKA_BROKERS not set: start Kafka with ${SCRIPT} and export STACK_KAFKA_BROKERS=<the KAFKA_BROKERS it prints> (npm run test:stack does both)`,
    );
  }
  return raw.split(',');
}

/** Fails with the start script's name when the broker does not answer. */
export async function requireKafka(brokers = kafkaBrokers()): Promise<string[]> {
  const admin = new Admin({
    clientId: 'stockops-test-check',
    bootstrapBrokers: brokers,
    connectTimeout: 3000,
    retries: 1,
  });
  try {
    await admin.listTopics();
  } catch (e) {
    throw new Error(
      `Kafka at ${brokers.join(',')} does not answer (${e instanceof Error ? e.message : String(e)}): start it with ${SCRIPT}`,
    );
  } finally {
    await admin.close().catch(() => undefined);
  }
  return brokers;
}

/**
 * A broker of the test's own (state under `.services/kafka/<name>`), for tests that stop and restart it
 * without disturbing the shared one; kafka.sh keeps its port across a restart.
 */
export function privateBroker(name: string): {
  start(): Promise<string[]>;
  stop(): Promise<void>;
} {
  const env = { ...process.env, KAFKA_SERVICE_DIR: join(ROOT, '.services', 'kafka', name) };
  const run = promisify(execFile);
  return {
    async start() {
      const { stdout } = await run('bash', [SCRIPT, 'start'], { cwd: ROOT, env, timeout: 180_000 });
      const line = stdout.split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
      if (!line) {
        throw new Error(`${SCRIPT} start printed no KAFKA_BROKERS line:\n${stdout}`);
      }
      return line.slice('KAFKA_BROKERS='.length).split(',');
    },
    async stop() {
      await run('bash', [SCRIPT, 'stop'], { cwd: ROOT, env, timeout: 60_000 });
    },
  };
}
