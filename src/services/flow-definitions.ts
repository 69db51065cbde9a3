// The shipped flows: etl, train, evaluate, retrain-all, bootstrap and monitor, as typed task sequences over the application services.
import { Type } from '@sinclair/typebox';
import {
  EtlFailedError,
  HORIZONS,
  InvalidInputError,
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
import type { TrainFlowResult } from '../api/index.js';
import type { TrainMetrics } from './model-fit.js';
import {
  checkParameters,
  describeParameters,
  BooleanParam,
  HorizonParam,
  ModelParam,
  RecipeParam,
  symbolsOf,
  TickerParam,
  TickersParam,
} from './flow-parameters.js';
import { RECIPE_TAG, recipeTrainSettings, resolveRecipe } from './recipes.js';
import { ensureNaiveFloor, trainTracked, type TrainInput, type TrainOptions } from './train.js';

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

export interface TrainFlowParams {
  ticker: TickerSymbol;
  /** Null when a recipe is given without a model: the recipe's kind is trained. */
  model: ModelKind | null;
  horizon: Horizon;
  /** `id@version` of the model recipe whose settings the run uses. */
  recipe: string | null;
  actor: string;
}

const TrainParameters = Type.Object(
  {
    ticker: TickerParam('ticker symbol, e.g. ^GSPC'),
    model: Type.Optional(
      ModelParam({ description: "model kind (with a recipe: the recipe's)", default: 'ridge' }),
    ),
    horizon: Type.Optional(HorizonParam({ description: 'horizon in trading days', default: 1 })),
    recipe: Type.Optional(RecipeParam),
    actor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

function parseTrain(raw: unknown): TrainFlowParams {
  const p = checkParameters(TrainParameters, raw);
  return {
    ticker: normalizeSymbol(p.ticker),
    model: p.model ?? (p.recipe === undefined ? 'ridge' : null),
    horizon: p.horizon ?? 1,
    recipe: p.recipe ?? null,
    actor: p.actor ?? 'flow',
  };
}

const EtlParameters = Type.Object(
  {
    tickers: Type.Optional(
      TickersParam('tickers; default: followed and stored tickers of the market'),
    ),
    market: Type.Optional(
      Type.Union([Type.Literal('US'), Type.Literal('TW'), Type.Literal('ALL')], {
        description: 'exchange group when tickers is empty',
        default: 'ALL',
        errorMessage: 'expected US, TW or ALL',
      }),
    ),
    full: Type.Optional(BooleanParam('refetch the full history', false)),
    snapshot: Type.Optional(BooleanParam('write Parquet snapshots', true)),
    trigger: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const RetrainAllParameters = Type.Object(
  {
    tickers: Type.Optional(TickersParam('tickers; default: every stored ticker')),
    models: Type.Optional(
      Type.Array(ModelParam({ description: 'model kind' }), {
        minItems: 1,
        description: "model kinds (with a recipe: the recipe's)",
        default: ['ridge'],
        errorMessage: 'expected a non-empty list of model kinds',
      }),
    ),
    horizons: Type.Optional(
      Type.Array(HorizonParam({ description: 'horizon in trading days' }), {
        minItems: 1,
        description: "horizons (with a recipe: the recipe's)",
        default: [1],
        errorMessage: `expected a non-empty list of horizons from ${HORIZONS.join(', ')}`,
      }),
    ),
    recipe: Type.Optional(RecipeParam),
  },
  { additionalProperties: false },
);

const BootstrapParameters = Type.Object({}, { additionalProperties: false });

/** The result of the `train` flow: the contract's shape, the one `/api/jobs/{id}` always answered with. */
export type { TrainFlowResult };

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
function trainOptions(ctx: TaskContext, p: Pick<TrainFlowParams, 'recipe'>): TrainOptions {
  let quarter = 0;
  return {
    signal: ctx.signal,
    tags: {
      [FLOW_RUN_TAG]: ctx.flowRunId,
      ...(p.recipe === null ? {} : { [RECIPE_TAG]: p.recipe }),
    },
    onFold: (done, total) => {
      if (total > 0 && Math.floor((4 * done) / total) > quarter) {
        quarter = Math.floor((4 * done) / total);
        ctx.log(`walk-forward fold ${done} of ${total}`);
      }
    },
  };
}

/** What one train or evaluate run fits: the flow's parameters, with a recipe's settings when it names one. */
async function trainInputOf(deps: ServiceDeps, p: TrainFlowParams): Promise<TrainInput> {
  if (p.recipe === null) {
    return { ticker: p.ticker, model: p.model ?? 'ridge', horizon: p.horizon, actor: p.actor };
  }
  const recipe = await resolveRecipe(deps, p.recipe);
  if (p.model !== null && p.model !== recipe.spec.model.kind) {
    throw new InvalidInputError(
      'model',
      `recipe ${p.recipe} trains ${recipe.spec.model.kind}, not ${p.model}; leave model out to use the recipe's`,
    );
  }
  return { ticker: p.ticker, horizon: p.horizon, actor: p.actor, ...recipeTrainSettings(recipe) };
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
      const floor = await ensureNaiveFloor(deps, p, trainOptions(ctx, { recipe: null }));
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
      const input = await trainInputOf(deps, p);
      ctx.log(
        `walk-forward ${input.model} on ${p.ticker}, horizon ${p.horizon}${p.recipe === null ? '' : `, recipe ${p.recipe}`}`,
      );
      const t = await trainTracked(deps, input, trainOptions(ctx, p));
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
  /** Null: the recipe's kind, else ridge. */
  models: ModelKind[] | null;
  /** Null: the recipe's horizons, else 1. */
  horizons: Horizon[] | null;
  recipe: string | null;
}

/** Whether a Yahoo symbol trades in Taipei (its own close and time zone). */
const isTaiwan = (s: string) => /\.TWO?$/i.test(s);

/** Every flow this build ships, bound to the pipeline dependencies of one runtime. */
export function createFlows(deps: EtlDeps, sample: SampleData): FlowDefinition<unknown>[] {
  const train = defineFlow<TrainFlowParams>({
    name: 'train',
    description:
      'Register the naive floor if the model has none, walk-forward evaluate one model beside naive, track the run, register a version once, promote if it beats naive and the champion.',
    ...describeParameters(TrainParameters),
    parse: parseTrain,
    tasks: trainTasks(deps),
    onCrashed: (p, run, log) => killAbandonedRuns(deps, p, run, log),
  });

  const evaluate = defineFlow<TrainFlowParams>({
    name: 'evaluate',
    description:
      'Walk-forward evaluate one model beside naive and track the run, without registering.',
    ...describeParameters(TrainParameters),
    parse: parseTrain,
    tasks: [
      {
        name: 'evaluate',
        retries: 1,
        timeoutMs: 30 * 60_000,
        async run(p, ctx) {
          const t = await trainTracked(deps, await trainInputOf(deps, p), trainOptions(ctx, p));
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
    ...describeParameters(EtlParameters),
    parse(raw) {
      const p = checkParameters(EtlParameters, raw);
      return {
        tickers: p.tickers ? symbolsOf(p.tickers, 'tickers') : null,
        market: p.market ?? 'ALL',
        full: p.full === true,
        snapshot: p.snapshot !== false,
        trigger: p.trigger ?? 'flow',
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
            {
              tickers: symbols,
              full: p.full,
              snapshot: p.snapshot,
              trigger: p.trigger,
              flowRunId: ctx.flowRunId,
            },
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
    ...describeParameters(RetrainAllParameters),
    parse(raw) {
      const p = checkParameters(RetrainAllParameters, raw);
      return {
        tickers: p.tickers ? symbolsOf(p.tickers, 'tickers') : null,
        models: p.models ?? null,
        horizons: p.horizons ?? null,
        recipe: p.recipe ?? null,
      };
    },
    tasks: [
      {
        name: 'fan-out',
        timeoutMs: 60_000,
        async run(p, ctx) {
          const symbols = p.tickers ?? (await deps.prices.listTickers()).map((t) => t.symbol);
          const recipe = p.recipe === null ? null : await resolveRecipe(deps, p.recipe);
          const models = p.models ?? [recipe?.spec.model.kind ?? 'ridge'];
          const horizons = p.horizons ?? recipe?.spec.horizons ?? [1];
          const ids: string[] = [];
          for (const t of symbols) {
            for (const m of models) {
              for (const h of horizons) {
                ids.push(
                  await ctx.startChild(
                    'train',
                    {
                      ticker: t,
                      model: m,
                      horizon: h,
                      ...(p.recipe === null ? {} : { recipe: p.recipe }),
                      actor: 'retrain-all',
                    },
                    `train:${t}:${m}:${h}${p.recipe === null ? '' : `:${p.recipe}`}`,
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
    ...describeParameters(BootstrapParameters),
    parse(raw) {
      checkParameters(BootstrapParameters, raw);
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
