// The shipped flows: etl, train, evaluate, retrain-all, bootstrap and monitor, as typed task sequences over the application services.
import {
  EtlFailedError,
  HORIZONS,
  InvalidInputError,
  isHorizon,
  MODEL_KINDS,
  modelName,
  normalizeSymbol,
  UnknownTickerError,
  type Horizon,
  type FlowDefinition,
  type FlowRunRecord,
  type ModelKind,
  type ModelVersion,
  type TaskContext,
  type TaskDefinition,
  type TickerSymbol,
  type WalkForwardReport,
} from '../core/index.js';
import { bootstrap, type SampleData } from './bootstrap.js';
import type { ServiceDeps } from './deps.js';
import { DEFAULT_TICKERS, runEtl, type EtlDeps } from './etl.js';
import { monitorFlow } from './monitor-flow.js';
import { gateVersion } from './promotion-lock.js';
import type { TrainMetrics } from './model-fit.js';
import { ensureNaiveFloor, trainTracked, type TrainOptions } from './train.js';

/** Erases a flow's parameter type so flows of different parameters sit in one registry. */
function defineFlow<P>(def: FlowDefinition<P>): FlowDefinition<unknown> {
  return {
    ...def,
    tasks: def.tasks.map((t): TaskDefinition<unknown> => ({
      ...t,
      run: (p, ctx) => t.run(p as P, ctx),
    })),
    ...(def.onCrashed
      ? {
          onCrashed: (p: unknown, run, log) =>
            def.onCrashed?.(p as P, run, log) ?? Promise.resolve(),
        }
      : {}),
  };
}

function record(raw: unknown): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidInputError('parameters', 'expected a JSON object');
  }
  return raw as Record<string, unknown>;
}

function only(p: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(p).find((k) => !allowed.includes(k));
  if (extra !== undefined) {
    throw new InvalidInputError(extra, `unknown parameter; expected one of ${allowed.join(', ')}`);
  }
}

function ticker(v: unknown, field: string): TickerSymbol {
  if (typeof v !== 'string') {
    throw new InvalidInputError(field, 'expected a ticker symbol string');
  }
  return normalizeSymbol(v, field);
}

function tickers(v: unknown, field: string): TickerSymbol[] | null {
  if (v === undefined || v === null) {
    return null;
  }
  if (!Array.isArray(v) || v.length === 0 || v.length > 500) {
    throw new InvalidInputError(field, 'expected a non-empty list of at most 500 ticker symbols');
  }
  return v.map((t, i) => ticker(t, `${field}.${i}`));
}

function modelKind(v: unknown, field: string): ModelKind {
  if (v === undefined) {
    return 'ridge';
  }
  if (typeof v !== 'string' || !(MODEL_KINDS as readonly string[]).includes(v)) {
    throw new InvalidInputError(field, `expected one of ${MODEL_KINDS.join(', ')}`);
  }
  return v as ModelKind;
}

function horizon(v: unknown, field: string): Horizon {
  if (v === undefined) {
    return 1;
  }
  if (!isHorizon(v)) {
    throw new InvalidInputError(field, `expected one of ${HORIZONS.join(', ')}`);
  }
  return v;
}

function list<T>(v: unknown, field: string, item: (x: unknown, f: string) => T, def: T[]): T[] {
  if (v === undefined) {
    return def;
  }
  if (!Array.isArray(v) || v.length === 0) {
    throw new InvalidInputError(field, 'expected a non-empty list');
  }
  return v.map((x, i) => item(x, `${field}.${i}`));
}

export interface TrainFlowParams {
  ticker: TickerSymbol;
  model: ModelKind;
  horizon: Horizon;
  actor: string;
}

function parseTrain(raw: unknown): TrainFlowParams {
  const p = record(raw);
  only(p, ['ticker', 'model', 'horizon', 'actor']);
  return {
    ticker: ticker(p.ticker, 'ticker'),
    model: modelKind(p.model, 'model'),
    horizon: horizon(p.horizon, 'horizon'),
    actor: typeof p.actor === 'string' ? p.actor : 'flow',
  };
}

/** The result of the `train` flow, the same shape `/api/jobs/{id}` always answered with. */
export interface TrainFlowResult {
  runId: string;
  modelName: string;
  modelVersion: number;
  promoted: boolean;
  decision: string;
  metrics: TrainMetrics;
}

interface FitResult {
  runId: string;
  modelName: string;
  metrics: TrainMetrics;
  kind: ModelKind;
  horizon: number;
}

export const IDEMPOTENCY_TAG = 'stockops.idempotency_key';
/** Tag of a tracked run naming the flow run that made it, set when the run is created. */
export const FLOW_RUN_TAG = 'stockops.flow_run';

/** Train options of a task: cancellation reaches the fit, the run is tagged, progress goes to the log. */
function trainOptions(ctx: TaskContext): TrainOptions {
  let quarter = 0;
  return {
    signal: ctx.signal,
    tags: { [FLOW_RUN_TAG]: ctx.flowRunId },
    onFold: (done, total) => {
      if (total > 0 && Math.floor((4 * done) / total) > quarter) {
        quarter = Math.floor((4 * done) / total);
        ctx.log(`walk-forward fold ${done} of ${total}`);
      }
    },
  };
}

/**
 * A SIGKILLed worker cannot end its tracked run: the sweep that finds the flow run Crashed ends the runs
 * of that flow run still RUNNING as KILLED (MLflow's status), before the retry starts its own run.
 */
async function killAbandonedRuns(
  deps: ServiceDeps,
  p: TrainFlowParams,
  run: FlowRunRecord,
  log: (message: string) => void,
): Promise<void> {
  const runs = await deps.tracker.searchRuns({
    experimentNames: [modelName(p.ticker, p.horizon)],
    tags: { [FLOW_RUN_TAG]: run.id },
  });
  for (const r of runs.filter((x) => x.status === 'RUNNING')) {
    await deps.tracker.endRun(r.id, 'KILLED');
    log(`tracked run ${r.id} of the crashed attempt ended KILLED`);
  }
}

/**
 * Registers the fitted run once per key: a retry after a crash finds the version it made before instead of
 * adding a second one.
 */
async function registerOnce(
  deps: ServiceDeps,
  fit: FitResult,
  key: string,
): Promise<{ version: ModelVersion; created: boolean }> {
  await deps.registry.ensureModel(fit.modelName);
  const existing = (await deps.registry.listVersions(fit.modelName)).find(
    (v) => v.tags[IDEMPOTENCY_TAG] === key,
  );
  if (existing) {
    return { version: existing, created: false };
  }
  const version = await deps.registry.createVersion({
    name: fit.modelName,
    source: `runs:/${fit.runId}/model`,
    runId: fit.runId,
    tags: {
      kind: fit.kind,
      horizon: String(fit.horizon),
      rmse: String(fit.metrics.rmse),
      rmse_naive: String(fit.metrics.rmseNaive),
      skill: String(fit.metrics.skill),
      [IDEMPOTENCY_TAG]: key,
    },
  });
  return { version, created: true };
}

const trainTasks = (deps: ServiceDeps): TaskDefinition<TrainFlowParams>[] => [
  {
    // Naive is the floor: the model's naive version exists (and serves, if nothing beats it) before
    // any other version is gated. A retry finds the version an earlier attempt registered.
    name: 'naive-floor',
    retries: 1,
    retryDelayMs: 2000,
    timeoutMs: 30 * 60_000,
    async run(p, ctx) {
      if (p.model === 'naive') {
        return { skipped: 'this run trains naive itself' };
      }
      if (!(await deps.prices.getTicker(p.ticker))) {
        throw new UnknownTickerError(p.ticker);
      }
      const floor = await ensureNaiveFloor(deps, p, trainOptions(ctx));
      ctx.log(
        floor.trained
          ? `naive floor v${floor.version.version} registered: ${floor.decision ?? ''}`
          : `naive floor: v${floor.version.version}`,
      );
      return { naiveVersion: floor.version.version, trained: floor.trained };
    },
  },
  {
    name: 'fit',
    retries: 1,
    retryDelayMs: 2000,
    timeoutMs: 30 * 60_000,
    async run(p, ctx) {
      if (!(await deps.prices.getTicker(p.ticker))) {
        throw new UnknownTickerError(p.ticker);
      }
      ctx.log(`walk-forward ${p.model} on ${p.ticker}, horizon ${p.horizon}`);
      const t = await trainTracked(deps, p, trainOptions(ctx));
      ctx.log(
        `tracked run ${t.runId}: RMSE ${t.metrics.rmse.toPrecision(5)} vs naive ${t.metrics.rmseNaive.toPrecision(5)}`,
      );
      return {
        runId: t.runId,
        modelName: t.modelName,
        metrics: t.metrics,
        kind: t.model.kind,
        horizon: p.horizon,
      } satisfies FitResult;
    },
  },
  {
    name: 'register',
    retries: 2,
    retryDelayMs: 1000,
    timeoutMs: 5 * 60_000,
    async run(p, ctx): Promise<TrainFlowResult> {
      const fit = ctx.results.fit as FitResult;
      const { version, created } = await registerOnce(deps, fit, ctx.idempotencyKey);
      const champion = await deps.registry.getVersionByAlias(fit.modelName, 'champion');
      let outcome: { promoted: boolean; decision: string };
      if (!created && champion?.version === version.version) {
        outcome = { promoted: true, decision: 'promoted (by an earlier attempt of this run)' };
      } else {
        // The fit task left its walk-forward report as an artifact; task results stay small.
        const bytes = await deps.tracker.getArtifact(fit.runId, 'evaluation/report.json');
        const report = JSON.parse(new TextDecoder().decode(bytes)) as WalkForwardReport;
        const gate = await gateVersion(deps, version, { runId: fit.runId, report }, p.actor);
        outcome = { promoted: gate.promoted, decision: gate.decision };
      }
      await deps.tracker.setTags(fit.runId, {
        'stockops.registered_version': String(version.version),
      });
      ctx.log(`${fit.modelName} v${version.version}: ${outcome.decision}`);
      return {
        runId: fit.runId,
        modelName: fit.modelName,
        modelVersion: version.version,
        ...outcome,
        metrics: fit.metrics,
      };
    },
  },
];

export interface EtlFlowParams {
  tickers: TickerSymbol[] | null;
  market: 'US' | 'TW' | 'ALL';
  full: boolean;
  snapshot: boolean;
  trigger: string;
}

export interface RetrainAllParams {
  tickers: TickerSymbol[] | null;
  models: ModelKind[];
  horizons: number[];
}

/** Whether a Yahoo symbol trades in Taipei (its own close and time zone). */
const isTaiwan = (s: string) => /\.TWO?$/i.test(s);

/** Every flow this build ships, bound to the pipeline dependencies of one runtime. */
export function createFlows(deps: EtlDeps, sample: SampleData): FlowDefinition<unknown>[] {
  const train = defineFlow<TrainFlowParams>({
    name: 'train',
    description:
      'Register the naive floor if the model has none, walk-forward evaluate one model beside naive, track the run, register a version once, promote if it beats naive and the champion.',
    parameters: {
      ticker: { type: 'string', description: 'ticker symbol, e.g. ^GSPC' },
      model: { type: 'naive | ridge', description: 'model kind', default: 'ridge' },
      horizon: { type: '1 | 5 | 20', description: 'horizon in trading days', default: 1 },
    },
    parse: parseTrain,
    tasks: trainTasks(deps),
    onCrashed: (p, run, log) => killAbandonedRuns(deps, p, run, log),
  });

  const evaluate = defineFlow<TrainFlowParams>({
    name: 'evaluate',
    description:
      'Walk-forward evaluate one model beside naive and track the run, without registering.',
    parameters: train.parameters,
    parse: parseTrain,
    tasks: [
      {
        name: 'evaluate',
        retries: 1,
        timeoutMs: 30 * 60_000,
        async run(p, ctx) {
          const t = await trainTracked(deps, p, trainOptions(ctx));
          ctx.log(`tracked run ${t.runId}: skill ${(t.metrics.skill * 100).toFixed(2)}%`);
          return { runId: t.runId, modelName: t.modelName, metrics: t.metrics };
        },
      },
    ],
    onCrashed: (p, run, log) => killAbandonedRuns(deps, p, run, log),
  });

  const etl = defineFlow<EtlFlowParams>({
    name: 'etl',
    description:
      'Fetch daily prices for a ticker list (default: the followed and stored tickers of a market), validate, load, clean, check quality, snapshot.',
    parameters: {
      tickers: {
        type: 'string[]',
        description: 'tickers; default: followed and stored tickers of the market',
      },
      market: {
        type: 'US | TW | ALL',
        description: 'exchange group when tickers is empty',
        default: 'ALL',
      },
      full: { type: 'boolean', description: 'refetch the full history', default: false },
      snapshot: { type: 'boolean', description: 'write Parquet snapshots', default: true },
    },
    parse(raw) {
      const p = record(raw);
      only(p, ['tickers', 'market', 'full', 'snapshot', 'trigger']);
      const market = p.market ?? 'ALL';
      if (market !== 'US' && market !== 'TW' && market !== 'ALL') {
        throw new InvalidInputError('market', 'expected US, TW or ALL');
      }
      for (const f of ['full', 'snapshot'] as const) {
        if (p[f] !== undefined && typeof p[f] !== 'boolean') {
          throw new InvalidInputError(f, 'expected true or false');
        }
      }
      return {
        tickers: tickers(p.tickers, 'tickers'),
        market,
        full: p.full === true,
        snapshot: p.snapshot !== false,
        trigger: typeof p.trigger === 'string' ? p.trigger : 'flow',
      };
    },
    tasks: [
      {
        name: 'etl',
        retries: 2,
        retryDelayMs: 30_000,
        timeoutMs: 30 * 60_000,
        async run(p, ctx) {
          let symbols = p.tickers;
          if (symbols === null) {
            const stored = (await deps.prices.listTickers()).map((t) => normalizeSymbol(t.symbol));
            symbols = [...new Set([...DEFAULT_TICKERS, ...stored])].filter(
              (s) => p.market === 'ALL' || (p.market === 'TW') === isTaiwan(s),
            );
          }
          ctx.log(`ETL for ${symbols.join(', ')}`);
          const run = await runEtl(
            deps,
            { tickers: symbols, full: p.full, snapshot: p.snapshot, trigger: p.trigger },
            {
              onProgress: (e) => {
                ctx.log(`${e.step} ${e.symbol}: ${e.message}`);
              },
            },
          );
          ctx.log(`ETL run ${run.id}: ${run.status}`, run.status === 'completed' ? 'info' : 'warn');
          if (run.status === 'failed') {
            throw new EtlFailedError(
              run.id,
              run.results.map((r) => ({
                symbol: r.symbol,
                step: r.error?.step ?? '?',
                message: r.error?.message ?? 'failed',
              })),
            );
          }
          return {
            etlRunId: run.id,
            status: run.status,
            tickers: run.tickers,
            steps: run.steps,
          };
        },
      },
    ],
  });

  const retrainAll = defineFlow<RetrainAllParams>({
    name: 'retrain-all',
    description:
      'Fan out one train run per ticker, model and horizon; summarise once every child run has ended.',
    parameters: {
      tickers: { type: 'string[]', description: 'tickers; default: every stored ticker' },
      models: { type: '("naive" | "ridge")[]', description: 'model kinds', default: ['ridge'] },
      horizons: { type: '(1 | 5 | 20)[]', description: 'horizons', default: [1] },
    },
    parse(raw) {
      const p = record(raw);
      only(p, ['tickers', 'models', 'horizons']);
      return {
        tickers: tickers(p.tickers, 'tickers'),
        models: list(p.models, 'models', modelKind, ['ridge']),
        horizons: list(p.horizons, 'horizons', horizon, [1]),
      };
    },
    tasks: [
      {
        name: 'fan-out',
        timeoutMs: 60_000,
        async run(p, ctx) {
          const symbols = p.tickers ?? (await deps.prices.listTickers()).map((t) => t.symbol);
          const ids: string[] = [];
          for (const t of symbols) {
            for (const m of p.models) {
              for (const h of p.horizons) {
                ids.push(
                  await ctx.startChild(
                    'train',
                    { ticker: t, model: m, horizon: h, actor: 'retrain-all' },
                    `train:${t}:${m}:${h}`,
                  ),
                );
              }
            }
          }
          ctx.log(`started ${ids.length} train runs`);
          return { children: ids.length };
        },
      },
      {
        name: 'summary',
        waitForChildren: true,
        timeoutMs: 60_000,
        async run(_p, ctx) {
          const children = await ctx.children();
          const summary = summarizeChildren(children);
          ctx.log(
            `${summary.completed} completed, ${summary.failed} failed, ${summary.promoted.length} promoted`,
          );
          return summary;
        },
      },
    ],
  });

  const boot = defineFlow<Record<string, never>>({
    name: 'bootstrap',
    description:
      'First start: load the bundled sample; for h = 1, 5 and 20 register naive (the floor) and ridge, promoted by the gate.',
    parameters: {},
    parse(raw) {
      only(record(raw), []);
      return {};
    },
    tasks: [
      {
        name: 'bootstrap',
        timeoutMs: 30 * 60_000,
        async run(_p, ctx) {
          const r = await bootstrap(deps, sample);
          for (const t of r.trained) {
            ctx.log(
              `${t.modelName}: naive v${t.naiveVersion}, ridge v${t.ridge.version}: ${t.decision}`,
            );
          }
          if (r.trained.length === 0) {
            ctx.log('data and a champion for every horizon already present');
          }
          return r;
        },
      },
    ],
  });

  return [etl, train, evaluate, retrainAll, boot, defineFlow(monitorFlow(deps))];
}

function summarizeChildren(children: readonly FlowRunRecord[]) {
  const results = children.map((c) => ({
    id: c.id,
    state: c.state,
    ticker: typeof c.parameters.ticker === 'string' ? c.parameters.ticker : '',
    result: c.result as Partial<TrainFlowResult> | null,
    error: c.error?.message ?? null,
  }));
  return {
    runs: children.length,
    completed: results.filter((r) => r.state === 'Completed').length,
    failed: results.filter((r) => r.state !== 'Completed').length,
    promoted: results
      .filter((r) => r.result?.promoted === true)
      .map((r) => `${r.result?.modelName ?? r.ticker} v${r.result?.modelVersion ?? '?'}`),
    failures: results
      .filter((r) => r.state !== 'Completed')
      .map((r) => ({ id: r.id, ticker: r.ticker, error: r.error })),
    models: modelNames(results.map((r) => r.result?.modelName ?? '')),
  };
}

const modelNames = (names: string[]) => [...new Set(names.filter((n) => n !== ''))].sort();
