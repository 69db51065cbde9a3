// `npm run bench:monitor`: one monitor flow run over 100 served tickers (drift of each champion's latest window
// against its stored reference, realised accuracy over 250 matured forecasts each, the retrain policy, the alert
// rules), on the embedded stores, timed against a train flow run of one of those models in the same run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { normalizeSymbol, type Bar, type ForecastServes } from '../src/core/index.js';
import { openRuntime, type Runtime } from '../src/runtime/index.js';
import { bootstrap, importCsv } from '../src/services/index.js';
import { bundledSample } from '../src/stores/index.js';
import { universeBars } from './universe.js';
import { median } from './support.js';

interface BenchConfig {
  tickers: number;
  days: number;
  blockLength: number;
  seed: number;
  matured: number;
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const config = JSON.parse(
  readFileSync(join(ROOT, 'bench', 'config', 'monitor.json'), 'utf8'),
) as BenchConfig;

function log(msg: string): void {
  process.stderr.write(`bench:monitor: ${msg}\n`);
}

async function waitRun(rt: Runtime, id: string): Promise<{ seconds: number; state: string }> {
  for (;;) {
    const r = await rt.flows.get(id);
    if (r && ['Completed', 'Failed', 'Cancelled'].includes(r.state)) {
      if (r.state !== 'Completed') {
        throw new Error(`flow run ${id} ${r.state}: ${JSON.stringify(r.error)}`);
      }
      return { seconds: ((r.endedAt ?? 0) - (r.startedAt ?? 0)) / 1000, state: r.state };
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

const csvOf = (bars: readonly Bar[]) =>
  new TextEncoder().encode(
    [
      'Date,Open,High,Low,Close,Adj Close,Volume',
      ...bars.map(
        (b) => `${b.date},${b.open},${b.high},${b.low},${b.close},${b.adjClose},${b.volume}`,
      ),
    ].join('\n'),
  );

async function main(): Promise<void> {
  const load0 = loadavg();
  const home = mkdtempSync(join(tmpdir(), 'stockops-bench-monitor-'));
  const rt = await openRuntime(
    loadConfig({
      STOCKOPS_HOME: home,
      STOCKOPS_SCHEDULES: 'false',
      // The trigger would start a monitor run per import; the bench starts the one it times.
      STOCKOPS_MONITOR_ON_LOAD: 'false',
    }),
    'server',
  );
  try {
    await bootstrap(rt.services, bundledSample, [1]);
    const src = await rt.services.prices.getBars('^GSPC');
    const tickers = Array.from(
      { length: config.tickers },
      (_, k) => `B${String(k).padStart(3, '0')}`,
    );
    log(`importing ${config.tickers} tickers of ${config.days} days`);
    const barsOf = new Map<string, Bar[]>();
    for (const [k, ticker] of tickers.entries()) {
      const bars = universeBars(src, k, { ...config, tickers: config.tickers });
      barsOf.set(ticker, bars);
      await importCsv(rt.services, {
        ticker: normalizeSymbol(ticker),
        body: csvOf(bars),
        source: 'bench',
      });
    }
    log('training a ridge champion (h1) for each');
    const trains = await Promise.all(
      tickers.map((ticker) => rt.flows.start('train', { ticker, model: 'ridge', horizon: 1 })),
    );
    const trainSeconds: number[] = [];
    for (const id of trains) {
      trainSeconds.push((await waitRun(rt, id)).seconds);
    }
    // Served forecasts of the champion on each ticker's last days, every one matured (its next bar is stored).
    for (const ticker of tickers) {
      const champion = await rt.services.registry.getVersionByAlias(`${ticker}.h1`, 'champion');
      const bars = barsOf.get(ticker) ?? [];
      if (!champion) {
        throw new Error(`${ticker}.h1 has no champion`);
      }
      const served: ForecastServes[] = bars.slice(-config.matured - 1, -1).map((b, i, all) => {
        const next = bars[bars.length - config.matured + i] ?? b;
        const predictedReturn = 0.0005 * Math.sin(i);
        const predictedClose = b.close * Math.exp(predictedReturn);
        return {
          forecast: {
            ticker,
            horizon: 1,
            asOf: b.date,
            targetDate: next.date,
            model: {
              name: `${ticker}.h1`,
              version: champion.version,
              kind: 'ridge',
              runId: champion.runId,
              featureSet: 'basic',
            },
            lastClose: b.close,
            predictedReturn,
            predictedClose,
            intervals: [
              { level: 0.8, lower: predictedClose * 0.98, upper: predictedClose * 1.02 },
              { level: 0.95, lower: predictedClose * 0.96, upper: predictedClose * 1.04 },
            ],
          },
          count: 1 + (all.length % 3),
          firstServedAt: 1,
          lastServedAt: 1,
        };
      });
      await rt.stores.forecastLog.record(served);
    }
    log('monitor run over every served model (timed)');
    const runs: { seconds: number; wall: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const id = await rt.flows.start('monitor', { trigger: 'bench' });
      const { seconds } = await waitRun(rt, id);
      runs.push({ seconds, wall: (performance.now() - t0) / 1000 });
    }
    const models = (await rt.stores.monitoringReports.list({ limit: 1000 })).filter((r) =>
      r.model.startsWith('B'),
    );
    const realised = await rt.stores.realised.list({ limit: 1000 });
    const monitor = median(runs.map((r) => r.seconds));
    const train = median(trainSeconds);
    const load1 = loadavg();
    const f = (x: number, d = 2) => x.toFixed(d);
    const lines = [
      `Last run ${new Date().toISOString().slice(0, 10)} (\`npm run bench:monitor\`):`,
      '',
      '| measure | time | per model | reference: one train flow run | monitor / train |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| monitor flow run, ${config.tickers + 1} served models (drift of 60 rows, realised accuracy over ${config.matured} matured forecasts each, retrain policy, alert rules) | ${f(monitor)} s | ${f((monitor / (config.tickers + 1)) * 1000, 0)} ms | ${f(train)} s | ${f(monitor / train)} |`,
      '',
      `Median of ${runs.length} monitor runs (${runs.map((r) => f(r.seconds)).join(', ')} s); train: median of the ${trainSeconds.length} train flow runs that made the champions (${config.days} days each, ridge, walk-forward, gate), ${availableParallelism()} fit threads. Reports stored: ${models.length}; realised-accuracy points: ${realised.length}.`,
      `Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${load0.map((x) => x.toFixed(2)).join(' ')} at start and ${load1.map((x) => x.toFixed(2)).join(' ')} at end.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rt.close();
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
