// Worker-thread body of ThreadLeaseKeeper: its own PostgreSQL connection renews the held runs' leases on a timer
// that CPU-bound work on the main thread cannot delay.
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';

interface Init {
  databaseUrl: string;
  workerId: string;
  everyMs: number;
}

type Message = { op: 'hold' | 'release'; id: string } | { op: 'close' };

const init = workerData as Init;
const held = new Set<string>();
let client: Promise<pg.Client> | null = null;

function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: init.databaseUrl });
  c.on('error', () => undefined);
  return c.connect().then(() => c);
}

async function renew(): Promise<void> {
  if (held.size === 0) {
    return;
  }
  client ??= connect();
  const c = await client;
  await c.query(
    `update flow_runs set heartbeat_at = $3, state = 'Running' where id = any($1) and worker = $2 and state in ('Running', 'Crashed')`,
    [[...held], init.workerId, Date.now()],
  );
}

const timer = setInterval(() => {
  renew().catch(() => {
    // A lost connection is replaced on the next beat; the lease spans several beats.
    const old = client;
    client = null;
    void old?.then((c) => c.end()).catch(() => undefined);
  });
}, init.everyMs);

parentPort?.on('message', (m: Message) => {
  if (m.op === 'hold') {
    held.add(m.id);
  } else if (m.op === 'release') {
    held.delete(m.id);
  } else {
    clearInterval(timer);
    void (client ?? Promise.resolve(null))
      .then((c) => c?.end())
      .catch(() => undefined)
      .finally(() => {
        parentPort?.close();
      });
  }
});
