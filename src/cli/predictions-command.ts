// `stockops predictions`: the forecast log, newest first, with outcomes once they are known (through the server that holds the store, else locally).
import { Command, InvalidArgumentError, Option } from 'commander';
import { endpoints, MAX_PREDICTIONS_PAGE, type PredictionsPage } from '../api/index.js';
import { loadConfig } from '../config/index.js';
import type { Horizon, TickerSymbol } from '../core/index.js';
import { listPredictions } from '../services/index.js';
import { runCommand } from './backend.js';
import type { Emit } from './flow-commands.js';
import { parseHorizon, parseIntIn, parseTicker } from './options.js';

interface PredictionsOpts {
  ticker?: TickerSymbol;
  horizon?: Horizon;
  from?: string;
  to?: string;
  model?: string;
  limit: number;
  cursor?: string;
  json?: boolean;
}

function parseDate(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    throw new InvalidArgumentError('a date is YYYY-MM-DD');
  }
  return v;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function table(page: PredictionsPage): string {
  if (page.items.length === 0) {
    return 'no forecasts served yet';
  }
  const lines = page.items.map((p) => {
    const head = `${p.ticker.padEnd(9)} h${String(p.horizon).padEnd(3)} ${p.asOf} -> ${p.targetDate}  ${p.predictedClose.toFixed(2).padStart(10)} (${pct(p.predictedReturn).padStart(7)})  ${p.model.name} v${p.model.version} ${p.model.kind}  served ${p.serveCount}x`;
    if (!p.actual) {
      return `${head}  (pending)`;
    }
    const held = p.actual.intervals.map(
      (i) => `${Math.round(i.level * 100)}%:${i.held ? 'in' : 'out'}`,
    );
    return `${head}  actual ${p.actual.close.toFixed(2)} (error ${p.actual.error.toFixed(2)}${held.length > 0 ? `, ${held.join(' ')}` : ''})`;
  });
  if (page.nextCursor) {
    lines.push(`more: --cursor ${page.nextCursor}`);
  }
  return lines.join('\n');
}

export function registerPredictionsCommand(program: Command, emit: Emit): void {
  program
    .command('predictions')
    .description(
      'The forecast log: every forecast served (one row per ticker, horizon, asOf and model version) with its serve count, newest first; the actual close, the error and whether each interval held once the target date has a bar.',
    )
    .option('--ticker <symbol>', 'only this ticker', parseTicker)
    .addOption(new Option('--horizon <days>', 'only this horizon').argParser(parseHorizon))
    .option('--from <date>', 'asOf on or after (YYYY-MM-DD)', parseDate)
    .option('--to <date>', 'asOf on or before (YYYY-MM-DD)', parseDate)
    .option('--model <name>', 'only this registered model, e.g. ^GSPC.h1')
    .addOption(
      new Option('--limit <n>', `rows (1-${MAX_PREDICTIONS_PAGE})`)
        .argParser(parseIntIn('--limit', 1, MAX_PREDICTIONS_PAGE))
        .default(20),
    )
    .option('--cursor <cursor>', 'the next page (printed after a full page)')
    .option('--json', 'print one JSON object')
    .action(async (opts: PredictionsOpts) => {
      const config = loadConfig();
      const query = {
        ...(opts.ticker !== undefined ? { ticker: opts.ticker } : {}),
        ...(opts.horizon !== undefined ? { horizon: opts.horizon } : {}),
        ...(opts.from !== undefined ? { from: opts.from } : {}),
        ...(opts.to !== undefined ? { to: opts.to } : {}),
        ...(opts.model !== undefined ? { model: opts.model } : {}),
        ...(opts.cursor !== undefined ? { cursor: opts.cursor } : {}),
        limit: opts.limit,
      };
      await emit(
        opts,
        () =>
          runCommand<PredictionsPage>(
            config,
            (api) => api.call(endpoints.predictions, { query }),
            (rt) => listPredictions(rt.services, query),
          ),
        table,
      );
    });
}
