// The stockops command line: start, import, train, predict. With --json each prints exactly one JSON object.
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  ApiError,
  endpoints,
  type ApiClient,
  type EtlRun,
  type ImportResult,
  type Prediction,
} from '../api/index.js';
import { loadConfig, type Config } from '../config/index.js';
import {
  isStockopsError,
  MODEL_KINDS,
  normalizeSymbol,
  StoreBusyError,
  type Horizon,
  type ModelKind,
  type TickerSymbol,
} from '../core/index.js';
import {
  DEFAULT_TICKERS,
  importCsv,
  predict,
  runEtl,
  trainModel,
  type TrainResult,
} from '../services/index.js';
import { startServer } from '../server/index.js';
import { lockPathOf, readLock } from '../stores/index.js';
import { STOCKOPS_VERSION } from '../version.js';
import { runCommand } from './backend.js';
import { registerDriftCommand } from './drift-command.js';
import { registerEvaluateCommand } from './evaluate-command.js';
import { registerFlowCommands } from './flow-commands.js';
import { registerMigrateCommand } from './migrate-command.js';
import { registerRecipeCommands } from './recipe-commands.js';
import { registerPredictionsCommand } from './predictions-command.js';
import { parseHorizon, parseTicker } from './options.js';

function parsePort(v: string): string {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('port must be an integer in [0, 65535]');
  }
  return v;
}

interface JsonOpt {
  json?: boolean;
}

/** Prints the result (one JSON object with --json) or the error, and sets the exit code. */
async function emit<T>(
  opts: JsonOpt,
  work: () => Promise<T>,
  human: (r: T) => string,
): Promise<void> {
  try {
    const result = await work();
    process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : `${human(result)}\n`);
  } catch (e) {
    const code = isStockopsError(e) || e instanceof ApiError ? e.code : 'ERROR';
    const message = e instanceof Error ? e.message : String(e);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    }
    process.stderr.write(`stockops: ${message}\n`);
    process.exitCode = 1;
  }
}

const pct = (x: number | undefined) => (x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const onWait = (m: string) => {
  process.stderr.write(`stockops: ${m}\n`);
};

interface TrainOutput {
  runId: string;
  modelName: string;
  modelVersion: number;
  promoted: boolean;
  decision: string;
  metrics: TrainResult['metrics'];
}

const trainOutput = (r: Omit<TrainResult, 'report'>): TrainOutput => ({
  runId: r.runId,
  modelName: r.modelName,
  modelVersion: r.modelVersion,
  promoted: r.promoted,
  decision: r.decision,
  metrics: r.metrics,
});

/** Polls a flow run through the API until it ends; a failed run throws its own code and message. */
async function waitForJob(api: ApiClient, jobId: string, what: string): Promise<unknown> {
  for (;;) {
    const job = await api.call(endpoints.job, { params: { id: jobId } });
    if (job.status === 'completed') {
      return job.result;
    }
    if (job.status === 'failed') {
      throw new ApiError(job.error?.code ?? 'JOB_FAILED', job.error?.message ?? `${what} failed`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function trainViaServer(
  api: ApiClient,
  body: { ticker: TickerSymbol; model: ModelKind; horizon: Horizon },
): Promise<TrainOutput> {
  const { jobId } = await api.call(endpoints.train, { body });
  return trainOutput((await waitForJob(api, jobId, 'training')) as TrainResult);
}

async function etlViaServer(
  api: ApiClient,
  body: { tickers?: TickerSymbol[]; full?: boolean; snapshot?: boolean },
): Promise<EtlRun> {
  const { jobId } = await api.call(endpoints.startEtl, { body });
  // The etl flow answers with the id of the ETL run it recorded; the run log has the whole record.
  const result = (await waitForJob(api, jobId, 'ETL')) as { etlRunId?: string } | EtlRun;
  return 'etlRunId' in result && typeof result.etlRunId === 'string'
    ? api.call(endpoints.etlRun, { params: { etlRunId: result.etlRunId } })
    : (result as EtlRun);
}

function etlSummary(r: EtlRun): string {
  const secs = ((r.endedAt ?? Date.now()) - r.startedAt) / 1000;
  const lines = [`ETL run ${r.id}: ${r.status} in ${secs.toFixed(1)} s`];
  for (const s of r.steps) {
    const counts = Object.entries(s.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(`  ${s.step.padEnd(9)} ${String(s.ms).padStart(6)} ms  ${counts}`);
  }
  for (const t of r.results) {
    lines.push(
      t.status === 'ok'
        ? `  ${t.symbol.padEnd(9)} ok: fetched ${t.fetched}, ${t.inserted} new, ${t.updated} changed, ${t.unchanged} unchanged, ${t.quarantined} quarantined; ${t.cleanRows} clean rows ${t.from ?? ''}..${t.to ?? ''}` +
            (t.snapshot ? `; snapshot ${t.snapshot.digest.slice(0, 12)}` : '')
        : `  ${t.symbol.padEnd(9)} FAILED in ${t.error?.step ?? '?'}: ${t.error?.message ?? ''}`,
    );
  }
  for (const q of r.quality.filter((c) => c.status !== 'pass')) {
    lines.push(`  quality ${q.symbol} ${q.check}: ${q.status} (${q.count}) ${q.examples[0] ?? ''}`);
  }
  return lines.join('\n');
}

export function buildCli(): Command {
  const program = new Command()
    .name('stockops')
    .description('Stock price prediction with an honest MLOps lifecycle (embedded by default).')
    .version(STOCKOPS_VERSION)
    .showHelpAfterError();

  program
    .command('start')
    .description(
      'Serve the API and UI on one port; on first start, load the bundled S&P 500 sample and train.',
    )
    .addOption(new Option('--port <port>', 'port to listen on (env PORT)').argParser(parsePort))
    .addOption(new Option('--host <host>', 'address to bind (env HOST)'))
    .addOption(new Option('--no-bootstrap', 'skip loading the sample and training on first start'))
    .action(async (opts: { port?: string; host?: string; bootstrap: boolean }) => {
      const config = loadConfig({
        ...process.env,
        ...(opts.port !== undefined ? { PORT: opts.port } : {}),
        ...(opts.host !== undefined ? { HOST: opts.host } : {}),
        ...(opts.bootstrap ? {} : { STOCKOPS_BOOTSTRAP: 'false' }),
      });
      const started = await startWhenFree(config);
      process.stdout.write(
        `stockops listening on ${started.url} (data: ${config.home}, instance ${config.instanceId})\n`,
      );
      void started.ready.then(() => {
        process.stdout.write(`stockops ready on ${started.url}\n`);
      });
      // Drain within a bound: whatever is still open after STOCKOPS_DRAIN_TIMEOUT_MS does not keep the process.
      const shutdown = (signal: string) => {
        process.stderr.write(
          `stockops: ${signal}, draining (at most ${config.serving.drainTimeoutMs} ms)\n`,
        );
        setTimeout(() => {
          process.stderr.write('stockops: drain took too long, exiting\n');
          process.exit(1);
        }, config.serving.drainTimeoutMs).unref();
        started.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });

  program
    .command('import')
    .description(
      'Import a Yahoo Finance daily CSV (Date,Open,High,Low,Close,Adj Close,Volume) for one ticker.',
    )
    .argument('<file>', 'CSV file')
    .requiredOption('--ticker <symbol>', 'ticker the rows belong to', parseTicker)
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: { ticker: TickerSymbol } & JsonOpt) => {
      const config = loadConfig();
      await emit(
        opts,
        async () => {
          const bytes = new Uint8Array(await readFile(file));
          return runCommand<ImportResult>(
            config,
            (api) =>
              api.call(endpoints.importCsv, {
                query: { ticker: opts.ticker },
                raw: { bytes, contentType: 'text/csv' },
              }),
            (rt) =>
              importCsv(rt.services, { ticker: opts.ticker, body: bytes, source: `csv:${file}` }),
            onWait,
          );
        },
        (r) =>
          `${r.ticker}: ${r.imported} imported, ${r.duplicates} duplicates, ${r.quarantined.length} quarantined` +
          r.quarantined.map((q) => `\n  line ${q.line}: ${q.reason}`).join(''),
      );
    });

  program
    .command('train')
    .description('Walk-forward evaluate a model beside naive, track the run, register a version.')
    .requiredOption('--ticker <symbol>', 'ticker to train on', parseTicker)
    .addOption(new Option('--model <kind>', 'model kind').choices(MODEL_KINDS).default('ridge'))
    .addOption(
      new Option('--horizon <days>', 'forecast horizon in trading days')
        .argParser(parseHorizon)
        .default(1),
    )
    .option('--json', 'print one JSON object')
    .action(
      async (opts: { ticker: TickerSymbol; model: ModelKind; horizon: Horizon } & JsonOpt) => {
        const config = loadConfig();
        const body = { ticker: opts.ticker, model: opts.model, horizon: opts.horizon };
        await emit(
          opts,
          () =>
            runCommand<TrainOutput>(
              config,
              (api) => trainViaServer(api, body),
              async (rt) => trainOutput(await trainModel(rt.services, { ...body, actor: 'cli' })),
              onWait,
            ),
          (r) =>
            [
              `${r.modelName} v${r.modelVersion} (run ${r.runId})`,
              `  out-of-sample over ${r.metrics.folds} walk-forward folds:`,
              `  RMSE ${r.metrics.rmse.toPrecision(4)} vs naive ${r.metrics.rmseNaive.toPrecision(4)}  skill ${pct(r.metrics.skill)}`,
              `  direction ${pct(r.metrics.directionAccuracy)} vs always-up ${pct(r.metrics.upRate)}  DM p=${r.metrics.dmPValue.toFixed(3)}`,
              `  interval coverage ${Object.entries(r.metrics.coverage)
                .map(([level, c]) => `${pct(c)} at ${level}%`)
                .join(', ')} (${r.metrics.intervalMethod} scores)`,
              `  by volatility third (80%/95%): ${(['low', 'mid', 'high'] as const)
                .map(
                  (t) =>
                    `${t} ${pct(r.metrics.coverageByVolatility[t]['80'])}/${pct(r.metrics.coverageByVolatility[t]['95'])}`,
                )
                .join(', ')}`,
              `  interval score ${Object.entries(r.metrics.intervalScore)
                .map(([level, v]) => `${pct(v)} at ${level}%`)
                .join(', ')} of the price (lower is better)`,
              `  ${r.decision}`,
            ].join('\n'),
        );
      },
    );

  program
    .command('predict')
    .description("Predict the close `horizon` trading days ahead with the ticker's champion model.")
    .requiredOption('--ticker <symbol>', 'ticker', parseTicker)
    .addOption(
      new Option('--horizon <days>', 'forecast horizon in trading days')
        .argParser(parseHorizon)
        .default(1),
    )
    .option('--json', 'print one JSON object')
    .action(async (opts: { ticker: TickerSymbol; horizon: Horizon } & JsonOpt) => {
      const config = loadConfig();
      await emit(
        opts,
        () =>
          runCommand<Prediction>(
            config,
            (api) =>
              api.call(endpoints.predict, {
                query: { ticker: opts.ticker, horizon: opts.horizon },
              }),
            async (rt) =>
              predict(rt.services, rt.serving, { ticker: opts.ticker, horizon: opts.horizon }),
            onWait,
          ),
        (p) =>
          `${p.ticker} ${p.targetDate}: ${p.predictedClose.toFixed(2)} (${pct(p.predictedReturn)}) from ${p.lastClose.toFixed(2)} on ${p.asOf}; ` +
          `${p.model.name} v${p.modelVersion} ${p.model.kind}, skill vs naive ${pct(p.model.metrics.skill)}\n` +
          `  serving because ${p.model.servedBecause}`,
      );
    });

  program
    .command('ingest')
    .description(
      'Fetch daily bars from Yahoo Finance (full history for new tickers, then incremental), validate, load raw, clean, check quality and snapshot.',
    )
    .argument('[tickers...]', `tickers (default: ${DEFAULT_TICKERS.join(' ')})`)
    .option('--full', 'fetch the full history even for stored tickers')
    .option('--no-snapshot', 'skip the Parquet snapshots')
    .option('--json', 'print one JSON object')
    .action(async (args: string[], opts: { full?: boolean; snapshot: boolean } & JsonOpt) => {
      const config = loadConfig();
      const outcome: { run: EtlRun | null } = { run: null };
      await emit(
        opts,
        async () => {
          const tickers =
            args.length > 0 ? args.map((t) => normalizeSymbol(t, 'tickers')) : undefined;
          const body = {
            ...(tickers ? { tickers } : {}),
            ...(opts.full ? { full: true } : {}),
            snapshot: opts.snapshot,
          };
          // Progress goes to a terminal only, so piped output stays one JSON object.
          const onProgress = process.stderr.isTTY
            ? (e: { step: string; symbol: string; message: string }) => {
                process.stderr.write(`stockops: ${e.step} ${e.symbol}: ${e.message}\n`);
              }
            : undefined;
          const run = await runCommand<EtlRun>(
            config,
            (api) => etlViaServer(api, body),
            (rt) => runEtl(rt.etl, { ...body, trigger: 'cli' }, onProgress ? { onProgress } : {}),
            onWait,
          );
          outcome.run = run;
          return run;
        },
        etlSummary,
      );
      // Per-ticker failures are in the output; the exit code lets scripts notice them too.
      if (outcome.run && outcome.run.status !== 'completed') {
        process.exitCode = 1;
      }
    });

  registerFlowCommands(program, emit, onWait);
  registerMigrateCommand(program, emit);
  registerRecipeCommands(program, emit, onWait);
  registerEvaluateCommand(program, emit);
  registerDriftCommand(program, emit);
  registerPredictionsCommand(program, emit);

  return program;
}

/** A CLI command may hold the embedded database for a while; wait for it rather than fail. */
async function startWhenFree(config: Config) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      return await startServer(config);
    } catch (e) {
      const lockPath = lockPathOf(config.databaseUrl);
      const holder = lockPath ? readLock(lockPath) : null;
      if (!(e instanceof StoreBusyError) || holder?.role === 'server' || Date.now() > deadline) {
        throw e;
      }
      process.stderr.write(`stockops: ${e.message} Waiting...\n`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildCli().parseAsync([...argv]);
  } catch (e) {
    process.stderr.write(`stockops: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
