// `npm run bench:drift`: the drift engine (core/monitoring) against the scipy reference on the same 25 x 100,000 columns, timed in one run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  datasetDrift,
  datasetDriftToJSON,
  driftReference,
  type DatasetDrift,
  type DatasetDriftJson,
} from '../src/core/index.js';
import { median, writeBetweenMarkers } from './support.js';

interface BenchConfig {
  columns: number;
  nRef: number;
  nCur: number;
  seed: number;
  repeats: number;
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BENCH = join(ROOT, 'bench');
const PYTHON = join(ROOT, '.venv-bench', 'bin', 'python');
const config = JSON.parse(readFileSync(join(BENCH, 'config', 'drift.json'), 'utf8')) as BenchConfig;

function log(msg: string): void {
  process.stderr.write(`bench:drift: ${msg}\n`);
}

/** xorshift128+ uniforms and Box-Muller normals: the same data on every run. */
function rng(seed: number): { uniform: () => number; normal: () => number } {
  let s0 = (seed ^ 0x9e3779b9) >>> 0 || 1;
  let s1 = (seed * 2654435761) >>> 0 || 2;
  const next = () => {
    let x = s0;
    const y = s1;
    s0 = y;
    x ^= x << 23;
    x ^= x >>> 17;
    x ^= y ^ (y >>> 26);
    s1 = x >>> 0;
    return ((s0 + s1) >>> 0) / 2 ** 32;
  };
  const uniform = () => (next() + 0.5) / 2 ** 32 + next();
  return {
    uniform,
    normal: () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
  };
}

/**
 * Columns shaped like features: normal, heavy-tailed, skewed and rounded (ties), some drifted in the
 * current rows (a shift or a scale change on every third column), the rest not.
 */
function makeColumns(n: number, shifted: boolean, r: ReturnType<typeof rng>): Float64Array[] {
  return Array.from({ length: config.columns }, (_, k) => {
    const drift = shifted && k % 3 === 0;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      let x: number;
      switch (k % 4) {
        case 0:
          x = z;
          break;
        case 1:
          x = z / Math.sqrt(Math.abs(r.normal()) + 0.05); // heavy tails
          break;
        case 2:
          x = Math.exp(0.5 * z); // skewed
          break;
        default:
          x = Math.round(z * 100) / 100; // ties
      }
      out[i] = drift ? x * 1.2 + 0.1 : x;
    }
    return out;
  });
}

function time<T>(repeats: number, fn: () => T): { seconds: number; result: T } {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    result = fn();
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), result: result as T };
}

interface PythonRun {
  seconds: number[];
  result: DatasetDriftJson;
}

function runPython(dir: string, psi: boolean): PythonRun | null {
  if (!existsSync(PYTHON)) {
    return null;
  }
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({
      columns: names,
      nRef: config.nRef,
      nCur: config.nCur,
      repeats: config.repeats,
      psi,
    }),
  );
  const res = spawnSync(PYTHON, [join(BENCH, 'reference', 'drift_reference.py'), 'bench', dir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) {
    throw new Error(`reference run failed:\n${res.stderr}`);
  }
  return JSON.parse(res.stdout) as PythonRun;
}

/** Largest relative difference of the statistics and whether every verdict agrees. */
function agreement(ts: DatasetDriftJson, py: DatasetDriftJson): { maxRel: number; same: boolean } {
  let maxRel = 0;
  let same = ts.dataset.drift === py.dataset.drift;
  for (const [name, c] of Object.entries(ts.columns)) {
    const p = py.columns[name];
    if (!p) {
      return { maxRel: NaN, same: false };
    }
    same &&= c.drift === p.drift && c.test === p.test && c.psi?.drift === p.psi?.drift;
    for (const [a, b] of [
      [c.statistic, p.statistic],
      [c.psi?.statistic, p.psi?.statistic],
    ]) {
      if (typeof a === 'number' && typeof b === 'number') {
        maxRel = Math.max(maxRel, Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));
      }
    }
  }
  return { maxRel, same };
}

const names = Array.from({ length: config.columns }, (_, k) => `f${k}`);

function main(): void {
  const load0 = loadavg();
  const r = rng(config.seed);
  const refCols = makeColumns(config.nRef, false, r);
  const curCols = makeColumns(config.nCur, true, r);
  const ref = Object.fromEntries(names.map((n, k) => [n, refCols[k] as Float64Array]));
  const cur = Object.fromEntries(names.map((n, k) => [n, curCols[k] as Float64Array]));

  const dir = mkdtempSync(join(tmpdir(), 'stockops-bench-drift-'));
  try {
    const write = (cols: Float64Array[], file: string) => {
      const all = new Float64Array(cols.reduce((s, c) => s + c.length, 0));
      let o = 0;
      for (const c of cols) {
        all.set(c, o);
        o += c.length;
      }
      writeFileSync(join(dir, file), new Uint8Array(all.buffer));
    };
    write(refCols, 'ref.f64');
    write(curCols, 'cur.f64');

    // A warm-up run, so the timed runs measure compiled code as a long-running monitor would.
    datasetDrift(ref, cur);
    log(`TypeScript, ${config.columns} columns x ${config.nRef} + ${config.nCur} rows...`);
    const ts = time(config.repeats, () => datasetDrift(ref, cur));
    const tsPsi = time(config.repeats, () => datasetDrift(ref, cur, { psi: true }));
    const build = time(config.repeats, () => driftReference(ref));
    const stats = build.result;
    const fromStats = time(config.repeats, () => datasetDrift(stats, cur, { psi: true }));
    log('scipy reference...');
    const py = runPython(dir, false);
    const pyPsi = runPython(dir, true);

    const f = (x: number, d = 3) => x.toFixed(d);
    const tsJson = (d: DatasetDrift) => datasetDriftToJSON(d);
    const rows: string[][] = [];
    const row = (what: string, t: number, p: PythonRun | null, check: DatasetDrift) => {
      const pt = p ? median(p.seconds) : NaN;
      const agree = p ? agreement(tsJson(check), p.result) : null;
      rows.push([
        what,
        `${f(t)} s`,
        p ? `${f(pt)} s` : '-',
        p ? f(t / pt, 2) : '-',
        '<= 0.5',
        agree
          ? `${agree.same ? 'identical' : 'DIFFER'}; statistics within ${agree.maxRel.toExponential(1)}`
          : '-',
      ]);
    };
    row(
      `drift, ${config.columns} numerical columns x ${config.nRef} vs ${config.nCur} rows`,
      ts.seconds,
      py,
      ts.result,
    );
    row('the same with PSI (Sturges bins)', tsPsi.seconds, pyPsi, tsPsi.result);
    rows.push([
      'reference statistics built once (25 columns, exact up to 1024 values, else a 1024-point sketch)',
      `${f(build.seconds)} s`,
      '-',
      '-',
      '-',
      `${Math.round(JSON.stringify(stats).length / 1024)} KiB of JSON`,
    ]);
    const exactVerdicts = Object.entries(fromStats.result.columns).every(
      ([n, c]) => c.drift === tsPsi.result.columns[n]?.drift,
    );
    rows.push([
      'drift with PSI against the precomputed statistics (no reference rows read)',
      `${f(fromStats.seconds)} s`,
      '-',
      '-',
      '-',
      `verdicts ${exactVerdicts ? 'identical to' : 'DIFFER from'} the raw reference's`,
    ]);
    const load1 = loadavg();
    const table = [
      '| measure | TS | scipy reference | TS / reference | target | agreement |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    ].join('\n');
    const drifted = ts.result.dataset;
    const context = [
      `Data: ${config.columns} columns (normal, heavy-tailed, log-normal, rounded to 0.01), every third one shifted and scaled in the current rows: ${drifted.nDrifted} of ${drifted.nColumns} drifted, data set drift ${drifted.drift ? 'yes' : 'no'}. Median of ${config.repeats} runs each side (the TypeScript side after one warm-up run); the reference's time excludes reading the files.`,
      `Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${load0.map((x) => f(x, 2)).join(' ')} at start and ${load1.map((x) => f(x, 2)).join(' ')} at end.`,
    ];
    process.stdout.write(`${table}\n\n${context.join('\n')}\n`);
    const when = new Date().toISOString().slice(0, 10);
    if (
      py &&
      writeBetweenMarkers(
        join(BENCH, 'README.md'),
        'bench:drift',
        `Last run ${when} (\`npm run bench:drift\`):\n\n${table}\n\n${context.join('\n')}`,
      )
    ) {
      log('results written to bench/README.md');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
