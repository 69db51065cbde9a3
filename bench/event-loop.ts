// `npm run bench:event-loop`: the longest event-loop gap while a training fits, on the calling thread and on the fit pool.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { randomWalkBars } from '../src/core/testing/index.js';
import { FitPool, inThreadFitter, type Fitter, type FitSettings } from '../src/services/index.js';
import { median, writeBetweenMarkers } from './support.js';

interface EventLoopConfig {
  bars: number;
  seed: number;
  /** Threads of the fit pool. */
  threads: number;
  /** Interval of the timer whose gaps are measured: the finest gap the figure can show. */
  tickMs: number;
  /** Runs per fit and place; the table shows the largest gap and the median fit time. */
  repeats: number;
  fits: { label: string; settings: Omit<FitSettings, 'onFold'> }[];
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BENCH = join(ROOT, 'bench');
const config = JSON.parse(
  readFileSync(join(BENCH, 'config', 'event-loop.json'), 'utf8'),
) as EventLoopConfig;

const f = (x: number, digits: number) => x.toFixed(digits);

/**
 * Event-loop gaps while `work` runs: the longest time between two ticks of a `tickMs` timer, and the share
 * of the run the loop was blocked (each tick's lateness beyond its interval, summed). While the loop is
 * blocked the process answers no request and renews no lease.
 */
async function gapsWhile(
  work: () => Promise<unknown>,
): Promise<{ gapMs: number; blockedMs: number; fitMs: number }> {
  // One tick's wait first, so a fit that blocks from its first line is measured from a running timer.
  await new Promise((r) => setTimeout(r, config.tickMs));
  const started = performance.now();
  let last = started;
  let gap = 0;
  let blocked = 0;
  const tick = () => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    blocked += Math.max(0, now - last - config.tickMs);
    last = now;
  };
  const timer = setInterval(tick, config.tickMs);
  try {
    await work();
    tick();
  } finally {
    clearInterval(timer);
  }
  return { gapMs: gap, blockedMs: blocked, fitMs: performance.now() - started };
}

async function main(): Promise<void> {
  const load0 = loadavg();
  const bars = randomWalkBars(config.bars, config.seed);
  const pool = new FitPool(config.threads);
  const places: [string, Fitter][] = [
    ['calling thread (STOCKOPS_FIT_THREADS=0)', inThreadFitter],
    [`fit pool, ${config.threads} threads`, pool],
  ];
  const rows: string[][] = [];
  try {
    for (const fit of config.fits) {
      for (const [where, fitter] of places) {
        // A first fit starts the pool's threads and warms the JIT; it is not counted.
        await fitter.fit('RW', bars, fit.settings);
        const runs = [];
        for (let r = 0; r < config.repeats; r++) {
          runs.push(await gapsWhile(() => fitter.fit('RW', bars, fit.settings)));
        }
        const gap = Math.max(...runs.map((x) => x.gapMs));
        const blocked =
          runs.reduce((s, x) => s + x.blockedMs, 0) / runs.reduce((s, x) => s + x.fitMs, 0);
        const fitMs = median(runs.map((x) => x.fitMs));
        rows.push([
          fit.label,
          where,
          `${f(gap, 0)} ms`,
          `${f(100 * blocked, 0)}%`,
          `${f(fitMs / 1000, 2)} s`,
        ]);
        process.stderr.write(`${fit.label} on ${where}: largest gap ${f(gap, 0)} ms\n`);
      }
    }
  } finally {
    await pool.close();
  }
  const load1 = loadavg();
  const table = [
    '| fit | runs on | largest event-loop gap | event loop blocked | fit time (median) |',
    '| --- | --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  const loads = (l: number[]) => l.map((x) => f(x, 2)).join(' ');
  const context =
    `${config.bars} random-walk bars (seed ${config.seed}); a ${config.tickMs} ms timer, ${config.repeats} runs ` +
    `per row after one warm-up; "blocked" is the ticks' lateness beyond the interval over the fit time. Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ` +
    `Node ${process.version}, load average ${loads(load0)} at start and ${loads(load1)} at end.`;
  process.stdout.write(`${table}\n\n${context}\n`);

  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  if (
    writeBetweenMarkers(
      join(BENCH, 'README.md'),
      'bench:event-loop',
      `Run ${when} UTC (\`npm run bench:event-loop\`):\n\n${table}\n\n${context}`,
    )
  ) {
    process.stderr.write('results written to bench/README.md\n');
  }
}

await main();
