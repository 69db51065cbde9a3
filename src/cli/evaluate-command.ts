// `stockops evaluate`: several models on one walk-forward, printed as a comparison table (progress bar on a terminal).
import { Command, InvalidArgumentError, Option } from 'commander';
import { endpoints } from '../api/index.js';
import { loadConfig } from '../config/index.js';
import {
  CONFORMAL_METHODS,
  DEFAULT_CONFORMAL_METHOD,
  MODEL_KINDS,
  UnknownTickerError,
  type ConformalMethod,
  type Horizon,
  type ModelKind,
  type TickerSymbol,
} from '../core/index.js';
import {
  compareModelsOn,
  createFitter,
  evaluateModels,
  type CompareProgress,
  type Comparison,
} from '../services/index.js';
import { runCommand } from './backend.js';
import type { Emit } from './flow-commands.js';
import { parseHorizon, parseIntIn, parseTicker } from './options.js';

interface EvaluateOpts {
  ticker: TickerSymbol;
  models: ModelKind[];
  horizon: Horizon;
  window: 'expanding' | 'sliding';
  initialTrain?: number;
  step?: number;
  embargo?: number;
  intervals: ConformalMethod[];
  json?: boolean;
}

function parseModels(v: string): ModelKind[] {
  const kinds = v.split(',').map((s) => s.trim());
  for (const k of kinds) {
    if (!(MODEL_KINDS as readonly string[]).includes(k)) {
      throw new InvalidArgumentError(`unknown model "${k}"; known: ${MODEL_KINDS.join(', ')}`);
    }
  }
  return kinds as ModelKind[];
}

function parseIntervalMethods(v: string): ConformalMethod[] {
  const methods = v.split(',').map((s) => s.trim());
  for (const m of methods) {
    if (!(CONFORMAL_METHODS as readonly string[]).includes(m)) {
      throw new InvalidArgumentError(
        `unknown interval method "${m}"; known: ${CONFORMAL_METHODS.join(', ')}`,
      );
    }
  }
  return [...new Set(methods)] as ConformalMethod[];
}

const parseCount = (min: number) => parseIntIn('the value', min);

/** A one-line progress bar on stderr, only when stderr is a terminal (pipes and CI get nothing). */
function progressBar(): { update: CompareProgress; done: () => void } {
  if (!process.stderr.isTTY) {
    return { update: () => undefined, done: () => undefined };
  }
  const width = 30;
  return {
    update: ({ model, done, total }) => {
      const filled = total > 0 ? Math.round((done / total) * width) : 0;
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} folds  ${model.padEnd(8)}`,
      );
    },
    done: () => {
      process.stderr.write('\r\x1b[2K');
    },
  };
}

const pct = (x: number | undefined, d = 2) =>
  x === undefined || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(d)}%`;

/** Two percentages as "a/b" (one column per metric pair keeps the table readable). */
const pair = (a: number | undefined, b: number | undefined, d = 1) =>
  `${pct(a, d).replace('%', '')}/${pct(b, d).replace('%', '')}`;

/** The comparison as an aligned text table, one row per model and interval method, naive's numbers beside each. */
export function comparisonTable(c: Comparison): string {
  const head = [
    'model',
    'intervals',
    'RMSE',
    'naive',
    'skill',
    'MAE',
    'MAPE',
    'direction',
    'up-rate',
    'DM p',
    'cov80/95',
    'low-vol',
    'mid-vol',
    'high-vol',
    'width80/95',
    'score80/95',
    'secs',
  ];
  const rows = c.models.map((m) => [
    m.model,
    m.intervalMethod,
    m.rmse.toPrecision(4),
    m.rmseNaive.toPrecision(4),
    pct(m.skill),
    m.mae.toPrecision(4),
    pct(m.mape),
    pct(m.directionAccuracy, 1),
    pct(m.upRate, 1),
    Number.isFinite(m.dmPValue) ? m.dmPValue.toFixed(3) : 'n/a',
    pair(m.coverage['80'], m.coverage['95']),
    pair(m.coverageByVolatility.low['80'], m.coverageByVolatility.low['95']),
    pair(m.coverageByVolatility.mid['80'], m.coverageByVolatility.mid['95']),
    pair(m.coverageByVolatility.high['80'], m.coverageByVolatility.high['95']),
    pair(m.intervalWidth['80'], m.intervalWidth['95'], 2),
    pair(m.intervalScore['80'], m.intervalScore['95'], 2),
    m.seconds.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  const wf = c.walkForward;
  return [
    `${c.ticker} h=${c.horizon}: ${c.rows} bars ${c.from}..${c.to}, features ${c.featureSet}`,
    `walk-forward ${wf.window}, first window ${wf.initialTrain} rows, step ${wf.step}, purge ${wf.purge}, embargo ${wf.embargo}; ${c.models[0]?.folds ?? 0} folds`,
    '',
    line(head),
    ...rows.map(line),
    '',
    'skill = 1 - RMSE/RMSE(naive); DM p: Diebold-Mariano against naive; cov: empirical coverage (%) of the 80%/95% conformal intervals, overall and in each third of the test days by volatility forecast; width and interval (Winkler) score in % of the price, lower score is better; intervals: volatility-scaled or absolute conformal scores.',
  ].join('\n');
}

export function registerEvaluateCommand(program: Command, emit: Emit): void {
  program
    .command('evaluate')
    .description(
      'Compare several models on one walk-forward (same features, folds, purge and intervals) without registering anything.',
    )
    .requiredOption('--ticker <symbol>', 'ticker to evaluate', parseTicker)
    .addOption(
      new Option('--models <kinds>', `comma-separated: ${MODEL_KINDS.join(', ')}`)
        .argParser(parseModels)
        .default(['naive', 'drift', 'ridge', 'gbdt', 'ensemble']),
    )
    .addOption(
      new Option('--horizon <days>', 'forecast horizon in trading days')
        .argParser(parseHorizon)
        .default(1),
    )
    .addOption(
      new Option('--window <kind>', 'training window')
        .choices(['expanding', 'sliding'])
        .default('expanding'),
    )
    .addOption(
      new Option(
        '--initial-train <rows>',
        'rows in the first training window (default 1000)',
      ).argParser(parseCount(50)),
    )
    .addOption(
      new Option(
        '--step <rows>',
        'rows per test window and between refits (default 250)',
      ).argParser(parseCount(1)),
    )
    .addOption(
      new Option('--embargo <rows>', 'rows dropped after the purge (default 0)').argParser(
        parseCount(0),
      ),
    )
    .addOption(
      new Option(
        '--intervals <methods>',
        `conformal methods, comma-separated (${CONFORMAL_METHODS.join(', ')}): one row per model and method, from the same forecasts`,
      )
        .argParser(parseIntervalMethods)
        .default([DEFAULT_CONFORMAL_METHOD]),
    )
    .option('--json', 'print one JSON object')
    .action(async (opts: EvaluateOpts) => {
      const config = loadConfig();
      const input = {
        ticker: opts.ticker,
        horizon: opts.horizon,
        models: opts.models,
        intervalMethods: opts.intervals,
        walkForward: {
          window: opts.window,
          ...(opts.initialTrain !== undefined ? { initialTrain: opts.initialTrain } : {}),
          ...(opts.step !== undefined ? { step: opts.step } : {}),
          ...(opts.embargo !== undefined ? { embargo: opts.embargo } : {}),
        },
      };
      const bar = progressBar();
      await emit(
        opts,
        async () => {
          try {
            return await runCommand<Comparison>(
              config,
              // A server holds the embedded database: read the bars through its API, compute here.
              async (api) => {
                const { bars } = await api.call(endpoints.history, {
                  params: { symbol: opts.ticker },
                });
                if (bars.length === 0) {
                  throw new UnknownTickerError(opts.ticker);
                }
                // Each model's walk-forward on its own thread, as the runtime path does.
                const fitter = createFitter(config.fitThreads);
                try {
                  return await compareModelsOn(fitter, opts.ticker, bars, input, bar.update);
                } finally {
                  await fitter.close();
                }
              },
              (rt) => evaluateModels(rt.services, input, bar.update),
            );
          } finally {
            bar.done();
          }
        },
        comparisonTable,
      );
    });
}
