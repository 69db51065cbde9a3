// `npm run bench:serve`: requests/s, latency and memory of the serving path under autocannon, against the original stack's FastAPI serving path.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { median, writeBetweenMarkers } from './support.js';

interface ServeConfig {
  connections: number;
  durationSec: number;
  warmupSec: number;
  soakSec: number;
  batchSize: number;
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BENCH = join(ROOT, 'bench');
const config = JSON.parse(readFileSync(join(BENCH, 'config', 'serve.json'), 'utf8')) as ServeConfig;
const SAMPLE = join(ROOT, 'node_modules', 'vega-datasets', 'data', 'sp500-2000.csv');
const PREDICT = '/api/predict?ticker=%5EGSPC&horizon=1';

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
}

const log = (m: string) => process.stderr.write(`bench:serve: ${m}\n`);

/** Resident set size of a process, in MB (Linux /proc). */
function rssMb(pid: number | undefined): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid ?? 0}/status`, 'utf8'));
  return m?.[1] ? Number(m[1]) / 1024 : Number.NaN;
}

/** Starts a process and resolves once `url + probe` answers 200. */
async function start(
  name: string,
  cmd: string,
  args: string[],
  env: Record<string, string>,
  url: string,
  probe: string,
): Promise<Server> {
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited during start:\n${err}`);
    }
    try {
      const res = await fetch(url + probe);
      if (res.ok) {
        return { name, url, child };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} not ready within 300 s:\n${err}`);
}

async function stop(s: Server): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) {
    return;
  }
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

const freePort = async (): Promise<number> => {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => {
        resolve(typeof a === 'object' && a ? a.port : 0);
      });
    });
  });
};

interface Row {
  id: string;
  what: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  rssBefore: number;
  rssAfter: number;
  /** Highest RSS sampled during the run (memory-check row only). */
  rssPeak?: number;
}

async function cannon(
  url: string,
  seconds: number,
  request: { method?: 'GET' | 'POST'; path: string; body?: string },
): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections: config.connections,
    duration: seconds,
    requests: [
      {
        method: request.method ?? 'GET',
        path: request.path,
        ...(request.body !== undefined
          ? { body: request.body, headers: { 'content-type': 'application/json' } }
          : {}),
      },
    ],
  });
}

/** Seconds of RSS samples whose median stands for "before" and "after" in the memory check. */
const RSS_WINDOW_SEC = 10;

/**
 * One row: a warm-up, then the measured run, with the RSS of `pids` summed before and after. With `sampled`
 * (the memory check) RSS is read every second of the run, and before and after are the medians of its first and
 * last RSS_WINDOW_SEC seconds: a garbage-collected heap grows and is compacted in a sawtooth of tens of MB, so
 * two single readings compare phases of that sawtooth, not memory kept; a leak still shows, as a rise of the
 * last window over the first. The peak is reported beside them.
 */
async function measure(
  id: string,
  what: string,
  url: string,
  request: { method?: 'GET' | 'POST'; path: string; body?: string },
  pids: (number | undefined)[],
  seconds = config.durationSec,
  sampled = false,
): Promise<Row> {
  const rss = () => pids.reduce<number>((sum, p) => sum + rssMb(p), 0);
  await cannon(url, config.warmupSec, request);
  const samples = [rss()];
  const sampler = sampled
    ? setInterval(() => {
        samples.push(rss());
      }, 1000)
    : null;
  const r = await cannon(url, seconds, request);
  if (sampler) {
    clearInterval(sampler);
  }
  samples.push(rss());
  const row: Row = {
    id,
    what,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    rssBefore: sampled ? median(samples.slice(0, RSS_WINDOW_SEC)) : (samples[0] ?? Number.NaN),
    rssAfter: sampled ? median(samples.slice(-RSS_WINDOW_SEC)) : (samples.at(-1) ?? Number.NaN),
    ...(sampled ? { rssPeak: Math.max(...samples) } : {}),
  };
  log(
    `${id} ${what}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}` +
      (sampled ? `, RSS samples ${samples.map((x) => x.toFixed(0)).join(' ')}` : ''),
  );
  return row;
}

const stockopsEnv = (home: string, extra: Record<string, string> = {}) => ({
  STOCKOPS_HOME: home,
  LOG_LEVEL: 'warn',
  STOCKOPS_SCHEDULES: 'false',
  // The benchmark is one client hammering: no rate limit, and no 503 under a busy loop.
  STOCKOPS_RATE_LIMIT_MAX: '0',
  STOCKOPS_MAX_EVENT_LOOP_DELAY_MS: '0',
  ...extra,
});

const stockops = (name: string, port: number, env: Record<string, string>) =>
  start(
    name,
    process.execPath,
    [join(ROOT, 'bin', 'stockops.js'), 'start'],
    { ...env, PORT: String(port) },
    `http://127.0.0.1:${port}`,
    '/api/ready',
  );

async function embedded(rows: Row[]): Promise<Row> {
  const home = mkdtempSync(join(tmpdir(), 'stockops-bench-serve-'));
  try {
    // First start: loads the bundled S&P 500 and trains its first model. The measured server is a second start
    // on the same data, so its memory holds serving and nothing left over from training.
    let port = await freePort();
    await stop(await stockops('stockops (first start)', port, stockopsEnv(home)));
    port = await freePort();
    let s = await stockops('stockops', port, stockopsEnv(home));
    const horizons = ((await (await fetch(`${s.url}/api/models`)).json()) as { name: string }[])
      .map((m) => /\.h(\d+)$/.exec(m.name)?.[1])
      .filter((h): h is string => h !== undefined);
    const items = Array.from({ length: config.batchSize }, (_, i) => ({
      ticker: '^GSPC',
      horizon: Number(horizons[i % horizons.length] ?? 1),
    }));
    let soak: Row;
    try {
      rows.push(
        await measure('a', '`GET /api/health`', s.url, { path: '/api/health' }, [s.child.pid]),
      );
      rows.push(
        await measure('b', '`GET /api/predict`, cache hit', s.url, { path: PREDICT }, [
          s.child.pid,
        ]),
      );
      soak = await measure(
        'b',
        `\`GET /api/predict\`, cache hit, ${config.soakSec} s (RSS check)`,
        s.url,
        { path: PREDICT },
        [s.child.pid],
        config.soakSec,
        true,
      );
      // After the soak: a batch allocates far more per request, and the heap it grows would make the soak's
      // "before" a high-water mark that a later collection undercuts.
      rows.push(
        await measure(
          'd',
          `\`POST /api/predict/batch\`, ${config.batchSize} items`,
          s.url,
          { method: 'POST', path: '/api/predict/batch', body: JSON.stringify({ items }) },
          [s.child.pid],
        ),
      );
    } finally {
      await stop(s);
    }
    // Same data, cache off: every request runs features, model and calibrator (bars reads are shared per turn).
    port = await freePort();
    s = await stockops(
      'stockops (cache off)',
      port,
      stockopsEnv(home, { STOCKOPS_SERVING_CACHE: 'false' }),
    );
    try {
      rows.push(
        await measure(
          'c',
          '`GET /api/predict`, cache off (`STOCKOPS_SERVING_CACHE=false`)',
          s.url,
          { path: PREDICT },
          [s.child.pid],
        ),
      );
    } finally {
      await stop(s);
    }
    return soak;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Two replicas on a PostgreSQL of their own (scripts/services/postgres.sh), behind nginx (scripts/services/nginx.sh). */
/** Whether the project's PostgreSQL already runs (its postmaster.pid names a live process): then it is left running. */
function postgresRunning(): boolean {
  try {
    const pid = Number(
      readFileSync(join(ROOT, '.services', 'postgres', 'data', 'postmaster.pid'), 'utf8').split(
        '\n',
      )[0],
    );
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function replicas(rows: Row[]): Promise<void> {
  // A PostgreSQL this run starts, it stops (by PID, through the script); one that was running stays.
  const ownPostgres = !postgresRunning();
  const pgEnv = execFileSync('bash', [join(ROOT, 'scripts', 'services', 'postgres.sh'), 'start'], {
    encoding: 'utf8',
  });
  const admin = /DATABASE_URL=(\S+)/.exec(pgEnv)?.[1] ?? '';
  const db = `stockops_bench_${process.pid}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`drop database if exists ${db}`);
  await c.query(`create database ${db}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${db}`;
  const home = mkdtempSync(join(tmpdir(), 'stockops-bench-replicas-'));
  const nginxDir = mkdtempSync(join(tmpdir(), 'stockops-bench-nginx-'));
  const env = stockopsEnv(home, {
    DATABASE_URL: u.toString(),
    ARTIFACTS_URL: `file://${join(home, 'artifacts')}`,
  });
  const started: Server[] = [];
  try {
    started.push(
      await stockops('replica 1', await freePort(), { ...env, STOCKOPS_INSTANCE: 'r1' }),
    );
    started.push(
      await stockops('replica 2', await freePort(), {
        ...env,
        STOCKOPS_INSTANCE: 'r2',
        STOCKOPS_BOOTSTRAP: 'false',
      }),
    );
    const out = execFileSync(
      'bash',
      [
        join(ROOT, 'scripts', 'services', 'nginx.sh'),
        'start',
        ...started.map((s) => s.url.slice(7)),
      ],
      { encoding: 'utf8', env: { ...process.env, NGINX_DIR: nginxDir } },
    );
    const url = /NGINX_URL=(\S+)/.exec(out)?.[1] ?? '';
    rows.push(
      await measure(
        'e',
        '`GET /api/predict` through nginx, two replicas (7:3), PostgreSQL',
        url,
        { path: PREDICT },
        started.map((s) => s.child.pid),
      ),
    );
  } finally {
    try {
      execFileSync('bash', [join(ROOT, 'scripts', 'services', 'nginx.sh'), 'stop'], {
        env: { ...process.env, NGINX_DIR: nginxDir },
      });
    } catch {
      // not started
    }
    await Promise.all(started.map(stop));
    rmSync(home, { recursive: true, force: true });
    if (ownPostgres) {
      execFileSync('bash', [join(ROOT, 'scripts', 'services', 'postgres.sh'), 'stop']);
    }
  }
}

async function reference(rows: Row[]): Promise<void> {
  const python = join(ROOT, '.venv-bench', 'bin', 'python');
  if (!existsSync(python)) {
    log('creating .venv-bench (bench/reference/setup.sh)');
    execFileSync('bash', [join(BENCH, 'reference', 'setup.sh')], { stdio: 'inherit' });
  }
  const port = await freePort();
  const s = await start(
    'reference',
    python,
    [join(BENCH, 'reference', 'serve_reference.py'), SAMPLE, String(port)],
    {},
    `http://127.0.0.1:${port}`,
    '/health',
  );
  try {
    rows.push(
      await measure(
        'f',
        'reference: FastAPI + uvicorn, pandas features, scikit-learn ridge (`bench/reference/serve_reference.py`)',
        s.url,
        { path: '/predict?ticker=%5EGSPC&horizon=1' },
        [s.child.pid],
      ),
    );
  } finally {
    await stop(s);
  }
}

async function main(): Promise<void> {
  const load0 = loadavg();
  const rows: Row[] = [];
  const soak = await embedded(rows);
  await replicas(rows);
  await reference(rows);
  const load1 = loadavg();
  rows.sort((x, y) => x.id.localeCompare(y.id));
  const by = (id: string) => rows.find((r) => r.id === id);
  const mb = (x: number) => x.toFixed(0);
  const table = [
    '| | what | req/s | p50 ms | p99 ms | errors | RSS before → after (MB) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...[...rows, soak].map(
      (r) =>
        `| ${r.id} | ${r.what} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${mb(r.rssBefore)} → ${mb(r.rssAfter)}${r.rssPeak === undefined ? '' : ` (peak ${mb(r.rssPeak)})`} |`,
    ),
  ].join('\n');
  const a = by('a');
  const b = by('b');
  const c = by('c');
  const f = by('f');
  const ratio = (x?: Row, y?: Row) => (x && y ? x.rps / y.rps : Number.NaN);
  const rssChange = ((soak.rssAfter - soak.rssBefore) / soak.rssBefore) * 100;
  const errors = [...rows, soak].reduce((s, r) => s + r.errors, 0);
  const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
  const targets = [
    `- (b) ≥ 0.5 × (a): ${ratio(b, a).toFixed(2)} × — ${mark(ratio(b, a) >= 0.5)}; p99 of (b) ≤ 10 ms at ${config.connections} connections: ${b?.p99 ?? '?'} ms — ${mark((b?.p99 ?? Infinity) <= 10)}`,
    `- (c) ≥ 20 × (f): ${ratio(c, f).toFixed(1)} × — ${mark(ratio(c, f) >= 20)}`,
    `- RSS after the ${config.soakSec} s run within 10% of before (medians of its first and last ${RSS_WINDOW_SEC} s): ${rssChange >= 0 ? '+' : ''}${rssChange.toFixed(1)}% — ${mark(Math.abs(rssChange) <= 10)}`,
    `- zero errors: ${errors} — ${mark(errors === 0)}`,
  ].join('\n');
  const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const context =
    `${config.connections} connections, ${config.durationSec} s per row after a ${config.warmupSec} s warm-up, autocannon in the ` +
    `benchmark process and every server a process of its own, all on one machine: ${availableParallelism()} cores ` +
    `(${cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${loads(load0)} at start and ${loads(load1)} at end.`;
  process.stdout.write(`${table}\n\n${targets}\n\n${context}\n`);

  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const block = `Run ${when} UTC (\`npm run bench:serve\`):\n\n${table}\n\n${targets}\n\n${context}`;
  // The table lives in bench/README.md and is repeated in the project README.
  for (const [file, name] of [
    [join(BENCH, 'README.md'), 'bench:serve'],
    [join(ROOT, 'README.md'), 'serve-table'],
  ] as const) {
    if (writeBetweenMarkers(file, name, block)) {
      log(`results written to ${file.slice(ROOT.length + 1)}`);
    }
  }
}

await main();
