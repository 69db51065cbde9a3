// `stockops flow run|list|logs|cancel`, `stockops schedule list|enable|disable|set` and `stockops worker`.
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  endpoints,
  FLOW_RUN_ENDED_STATES,
  FLOW_RUN_STATES,
  type ApiClient,
  type FlowRun,
  type FlowRunDetailView,
  type Schedule,
} from '../api/index.js';
import { loadConfig } from '../config/index.js';
import { FlowRunNotFoundError, type FlowRunState, type ScheduleRecord } from '../core/index.js';
import { openRuntime, type Runtime } from '../runtime/index.js';
import { runCommand } from './backend.js';
import { serveMetrics } from './metrics-server.js';
import { parseIntIn } from './options.js';

interface JsonOpt {
  json?: boolean;
}

/** main.ts's printer: one JSON object with --json, else the human line; sets the exit code on error. */
export type Emit = <T>(
  opts: JsonOpt,
  work: () => Promise<T>,
  human: (r: T) => string,
) => Promise<void>;

const ENDED: readonly string[] = FLOW_RUN_ENDED_STATES;
const STATES: readonly FlowRunState[] = FLOW_RUN_STATES;

function parseParam(v: string, prev: Record<string, unknown>): Record<string, unknown> {
  const at = v.indexOf('=');
  if (at <= 0) {
    throw new InvalidArgumentError('expected key=value (value may be JSON, e.g. tickers=["AAPL"])');
  }
  const key = v.slice(0, at);
  const raw = v.slice(at + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw) as unknown;
  } catch {
    // A bare word is a string: ticker=AAPL.
  }
  return { ...prev, [key]: value };
}

const parseLimit = parseIntIn('limit', 1, 1000);
const parseConcurrency = parseIntIn('concurrency', 1, 64);

const seconds = (r: FlowRun) =>
  r.startedAt === null ? '-' : `${(((r.endedAt ?? Date.now()) - r.startedAt) / 1000).toFixed(1)}s`;

const line = (r: FlowRun) =>
  `${r.id}  ${r.flow.padEnd(12)} ${r.state.padEnd(10)} attempts ${r.attempts}  ${seconds(r).padStart(7)}  ${new Date(r.createdAt).toISOString()}`;

async function poll<T extends FlowRun>(get: () => Promise<T>): Promise<T> {
  for (;;) {
    const run = await get();
    if (ENDED.includes(run.state)) {
      return run;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function localRun(rt: Runtime, id: string): Promise<FlowRunDetailView> {
  return poll(async () => {
    const r = await rt.flows.get(id);
    if (!r) {
      throw new FlowRunNotFoundError(id);
    }
    return r;
  });
}

const httpRun = (api: ApiClient, id: string) => api.call(endpoints.flowRun, { params: { id } });

function parseMetricsPort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError(`expected a port number (0-65535), got "${v}"`);
  }
  return n;
}

export function registerFlowCommands(
  program: Command,
  emit: Emit,
  onWait: (m: string) => void,
): void {
  const flow = program.command('flow').description('Start, list, inspect and cancel flow runs.');

  flow
    .command('run')
    .description(
      'Start a flow run (etl, train, evaluate, retrain-all, bootstrap). Without a server it runs here and waits.',
    )
    .argument('<name>', 'flow name')
    .option(
      '-p, --param <key=value>',
      'a parameter (repeatable; JSON values allowed)',
      parseParam,
      {},
    )
    .option('--wait', 'wait until the run ends and print it')
    .option('--json', 'print one JSON object')
    .action(
      async (name: string, opts: { param: Record<string, unknown>; wait?: boolean } & JsonOpt) => {
        const config = loadConfig();
        await emit(
          opts,
          () =>
            runCommand<FlowRun | { id: string }>(
              config,
              async (api) => {
                const { id } = await api.call(endpoints.startFlow, {
                  params: { name },
                  body: opts.param,
                });
                return opts.wait ? poll(() => httpRun(api, id)) : { id };
              },
              async (rt) => {
                const id = await rt.flows.start(name, opts.param);
                // In-process the run executes in this process: leaving early would abandon it.
                return rt.flowRunners.runner === 'in-process' || opts.wait
                  ? localRun(rt, id)
                  : { id };
              },
              onWait,
            ),
          (r) =>
            'state' in r
              ? `${line(r)}\n${r.error ? `  ${r.error.code}: ${r.error.message}` : `  result ${JSON.stringify(r.result)}`}`
              : `started ${r.id}`,
        );
      },
    );

  flow
    .command('list')
    .description('Flow runs, newest first.')
    .option('--flow <name>', 'only this flow')
    .addOption(new Option('--state <state>', 'only this state').choices(STATES))
    .option('--limit <n>', 'at most n runs', parseLimit, 50)
    .option('--json', 'print one JSON object')
    .action(async (opts: { flow?: string; state?: FlowRunState; limit: number } & JsonOpt) => {
      const config = loadConfig();
      const filter = {
        ...(opts.flow !== undefined ? { flow: opts.flow } : {}),
        ...(opts.state !== undefined ? { state: opts.state } : {}),
        limit: opts.limit,
      };
      await emit(
        opts,
        async () => ({
          runs: await runCommand<FlowRun[]>(
            config,
            (api) => api.call(endpoints.flowRuns, { query: filter }),
            (rt) => rt.flows.list(filter),
            onWait,
          ),
        }),
        (r) => (r.runs.length === 0 ? 'no flow runs' : r.runs.map(line).join('\n')),
      );
    });

  flow
    .command('logs')
    .description("A flow run's task runs and captured log lines.")
    .argument('<id>', 'flow run id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: JsonOpt) => {
      const config = loadConfig();
      await emit(
        opts,
        () =>
          runCommand<FlowRunDetailView>(
            config,
            (api) => httpRun(api, id),
            async (rt) => {
              const r = await rt.flows.get(id);
              if (!r) {
                throw new FlowRunNotFoundError(id);
              }
              return r;
            },
            onWait,
          ),
        (r) =>
          [
            line(r),
            ...r.taskRuns.map(
              (t) =>
                `  task ${t.task}: ${t.state}, ${t.attempts} attempt(s)${t.error ? ` (${t.error})` : ''}`,
            ),
            ...r.logs.map(
              (l) =>
                `  ${new Date(l.at).toISOString()} ${l.level.padEnd(5)} ${l.task ? `[${l.task}] ` : ''}${l.message}`,
            ),
          ].join('\n'),
      );
    });

  flow
    .command('cancel')
    .description('Cancel a queued run at once, or a running one at its next heartbeat.')
    .argument('<id>', 'flow run id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: JsonOpt) => {
      const config = loadConfig();
      await emit(
        opts,
        () =>
          runCommand<FlowRun>(
            config,
            (api) => api.call(endpoints.cancelFlowRun, { params: { id } }),
            (rt) => rt.flows.cancel(id),
            onWait,
          ),
        (r) => `${r.id}: ${r.state}${r.state === 'Running' ? ' (cancel requested)' : ''}`,
      );
    });

  const schedule = program
    .command('schedule')
    .description('List, enable, disable and edit schedules.');
  const scheduleLine = (s: Omit<Schedule, 'nextRunAt'>) =>
    `${s.id.padEnd(20)} ${s.enabled ? 'enabled ' : 'disabled'} ${s.flow.padEnd(12)} ${s.cron.padEnd(16)} ${s.timezone}  ${JSON.stringify(s.parameters)}`;
  const update = (
    id: string,
    patch: Partial<Pick<ScheduleRecord, 'enabled' | 'cron' | 'timezone'>>,
  ) =>
    runCommand<Omit<Schedule, 'nextRunAt'>>(
      loadConfig(),
      (api) => api.call(endpoints.updateSchedule, { params: { id }, body: patch }),
      (rt) => rt.flows.updateSchedule(id, patch),
      onWait,
    );

  schedule
    .command('list')
    .description('Schedules with their cron pattern and time zone.')
    .option('--json', 'print one JSON object')
    .action(async (opts: JsonOpt) => {
      await emit(
        opts,
        async () => ({
          schedules: await runCommand<Omit<Schedule, 'nextRunAt'>[]>(
            loadConfig(),
            (api) => api.call(endpoints.schedules, {}),
            (rt) => rt.flows.listSchedules(),
            onWait,
          ),
        }),
        (r) => r.schedules.map(scheduleLine).join('\n'),
      );
    });

  for (const [cmd, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    schedule
      .command(cmd)
      .description(`${cmd === 'enable' ? 'Enable' : 'Disable'} a schedule.`)
      .argument('<id>', 'schedule id')
      .option('--json', 'print one JSON object')
      .action(async (id: string, opts: JsonOpt) => {
        await emit(opts, () => update(id, { enabled }), scheduleLine);
      });
  }

  schedule
    .command('set')
    .description('Edit a schedule: cron pattern (five fields) and/or IANA time zone.')
    .argument('<id>', 'schedule id')
    .option('--cron <pattern>', 'e.g. "30 16 * * 1-5"')
    .option('--timezone <tz>', 'e.g. America/New_York')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { cron?: string; timezone?: string } & JsonOpt) => {
      await emit(
        opts,
        () =>
          update(id, {
            ...(opts.cron !== undefined ? { cron: opts.cron } : {}),
            ...(opts.timezone !== undefined ? { timezone: opts.timezone } : {}),
          }),
        scheduleLine,
      );
    });

  program
    .command('worker')
    .description(
      'Take flow jobs from BullMQ (REDIS_URL) until SIGTERM; needs DATABASE_URL=postgres://... shared with the API.',
    )
    .option('--concurrency <n>', 'jobs run at once', parseConcurrency, 1)
    .option(
      '--metrics-port <port>',
      'serve Prometheus metrics on HOST:port/metrics (0: any free port); default STOCKOPS_METRICS_PORT, else none',
      parseMetricsPort,
    )
    .action(async (opts: { concurrency: number; metricsPort?: number }) => {
      const config = loadConfig();
      const rt = await openRuntime(config, 'worker', { concurrency: opts.concurrency });
      const port = opts.metricsPort ?? config.metricsPort;
      const exporter = port === null ? null : await serveMetrics(rt.metrics, config.host, port);
      process.stdout.write(
        `stockops worker ${rt.flows.workerId} taking jobs (concurrency ${opts.concurrency}, lease ${rt.flows.leaseMs} ms)${exporter ? `, metrics on ${exporter.url}` : ''}\n`,
      );
      const shutdown = (signal: string) => {
        // Graceful: BullMQ's worker.close() lets the active jobs finish before the connections close.
        process.stderr.write(`stockops worker: ${signal}, finishing the current job\n`);
        Promise.all([rt.close(), exporter?.close()]).then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}
