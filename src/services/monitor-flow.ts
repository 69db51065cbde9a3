// The `monitor` flow: drift of every served champion against its reference (one report each), realised accuracy of served forecasts, the retrain policy on each, then the alert rules over everything monitoring knows.
import { Type } from '@sinclair/typebox';
import { addDays, type FlowDefinition, type TaskContext } from '../core/index.js';
import { evaluateAlerts, monitoringFacts } from './alerts.js';
import { expireApprovals } from './approvals.js';
import type { ServiceDeps } from './deps.js';
import {
  checkParameters,
  describeParameters,
  HorizonParam,
  symbolsOf,
  TickersParam,
} from './flow-parameters.js';
import { monitorModel, servedModels, type ServedModel } from './monitor.js';
import { updateRealised } from './realised.js';
import { applyRetrainPolicy, effectivePolicy } from './retrain-policy.js';

export interface MonitorFlowParams {
  tickers: string[] | null;
  horizons: number[] | null;
  /** Only tickers of one exchange group: Taipei (`.TW`, `.TWO`) or the others. */
  market: 'US' | 'TW' | 'ALL';
  /** What started it: schedule, data.loaded, api... */
  trigger: string;
}

const MonitorParameters = Type.Object(
  {
    tickers: Type.Optional(TickersParam('tickers; default: every model with a champion')),
    horizons: Type.Optional(
      Type.Array(HorizonParam({ description: 'horizon in trading days' }), {
        minItems: 1,
        description: 'horizons; default: all',
        errorMessage: 'expected a non-empty list',
      }),
    ),
    market: Type.Optional(
      Type.Union([Type.Literal('US'), Type.Literal('TW'), Type.Literal('ALL')], {
        description: 'exchange group (Taipei or the others) when tickers is empty',
        default: 'ALL',
        errorMessage: 'expected US, TW or ALL',
      }),
    ),
    trigger: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export function parseMonitorParams(raw: unknown): MonitorFlowParams {
  const p = checkParameters(MonitorParameters, raw);
  return {
    tickers: p.tickers ? symbolsOf(p.tickers, 'tickers') : null,
    horizons: p.horizons ?? null,
    market: p.market ?? 'ALL',
    trigger: p.trigger ?? 'api',
  };
}

const isTaiwan = (s: string) => /\.TWO?$/i.test(s);

/** One model's line in the drift task's result (task results stay small; the report holds the rest). */
interface MonitoredModel {
  model: string;
  ticker: string;
  horizon: number;
  version: number;
  reportId: number;
  status: string;
  drift: boolean | null;
  /** Last bar date of the champion's training data, when its reference says. */
  trainedTo: string | null;
}

/** One model's line in the accuracy task's result: its champion's realised skill, when any matured. */
interface RealisedSummary {
  model: string;
  version: number;
  matured: number;
  skill: number | null;
}

async function scope(deps: ServiceDeps, p: MonitorFlowParams): Promise<ServedModel[]> {
  return (await servedModels(deps, { tickers: p.tickers, horizons: p.horizons })).filter(
    (m) => p.market === 'ALL' || (p.market === 'TW') === isTaiwan(m.ticker),
  );
}

/** Bars stored after the champion's training data ended (its last labeled row plus the horizon). */
async function barsSince(deps: ServiceDeps, m: MonitoredModel): Promise<number | null> {
  if (m.trainedTo === null) {
    return null;
  }
  const after = await deps.prices.getBars(m.ticker, { from: addDays(m.trainedTo, 1) });
  return Math.max(0, after.length - m.horizon);
}

export function monitorFlow(deps: ServiceDeps): FlowDefinition<MonitorFlowParams> {
  return {
    name: 'monitor',
    description:
      'For each served champion: drift of its latest rows (features, return, predictions) against the reference stored at training, one report each; realised accuracy of its served forecasts against naive; the retrain policy (a retrain is a train run); the alert rules.',
    ...describeParameters(MonitorParameters),
    parse: parseMonitorParams,
    tasks: [
      {
        name: 'drift',
        retries: 1,
        timeoutMs: 30 * 60_000,
        async run(p, ctx: TaskContext): Promise<MonitoredModel[]> {
          const models = await scope(deps, p);
          ctx.log(`monitoring ${models.length} served models (${p.trigger})`);
          const out: MonitoredModel[] = [];
          for (const m of models) {
            const r = await monitorModel(deps, m, { flowRunId: ctx.flowRunId });
            ctx.log(
              `${m.name} v${m.champion.version}: ${r.status}; ${r.message}`,
              r.status === 'failed' ? 'warn' : 'info',
            );
            out.push({
              model: m.name,
              ticker: m.ticker,
              horizon: m.horizon,
              version: m.champion.version,
              reportId: r.id,
              status: r.status,
              drift: r.featureDrift?.drift ?? null,
              trainedTo: r.reference?.training.to ?? null,
            });
          }
          return out;
        },
      },
      {
        name: 'accuracy',
        retries: 1,
        timeoutMs: 30 * 60_000,
        // Served forecasts whose target date's bar is now loaded, joined to it; a point per model version.
        async run(p, ctx: TaskContext): Promise<RealisedSummary[]> {
          const out: RealisedSummary[] = [];
          for (const m of await scope(deps, p)) {
            const r = await updateRealised(deps, m, { monitorRunId: ctx.flowRunId });
            if (r) {
              ctx.log(
                `${m.name} v${r.version}: ${r.matured} matured forecasts to ${r.to}, skill ${r.skill.toFixed(3)} (RMSE ${r.rmse.toPrecision(3)} vs naive ${r.rmseNaive.toPrecision(3)})`,
              );
            }
            out.push({
              model: m.name,
              version: m.champion.version,
              matured: r?.matured ?? 0,
              skill: r?.skill ?? null,
            });
          }
          return out;
        },
      },
      {
        name: 'retrain-policy',
        // Not retried: a second attempt would record its decisions twice.
        timeoutMs: 10 * 60_000,
        async run(p, ctx: TaskContext) {
          const monitored = ctx.results.drift as MonitoredModel[];
          const { settings } = await effectivePolicy(deps);
          for (const a of await expireApprovals(deps, settings.approvalTimeoutAction)) {
            ctx.log(`approval ${a.id} of ${a.model} v${a.version} timed out: ${a.outcome ?? ''}`);
          }
          const byName = new Map((await scope(deps, p)).map((m) => [m.name, m]));
          const realised = new Map(
            ((ctx.results.accuracy as RealisedSummary[] | undefined) ?? []).map((a) => [
              `${a.model}@${a.version}`,
              a,
            ]),
          );
          const out = [];
          for (const r of monitored) {
            const m = byName.get(r.model);
            // A champion that moved since the drift task is the next run's business.
            if (!m || m.champion.version !== r.version) {
              continue;
            }
            const acc = realised.get(`${m.name}@${r.version}`);
            const { decision, replaced } = await applyRetrainPolicy(deps, m, {
              reportId: r.reportId,
              accuracy:
                acc && acc.skill !== null ? { matured: acc.matured, skill: acc.skill } : null,
              monitorRunId: ctx.flowRunId,
              newBars: await barsSince(deps, r),
              start: (params) => ctx.startChild('train', params, `retrain:${m.name}`),
            });
            ctx.log(
              `${m.name}: ${decision.retrain ? `retrain started (${decision.trainRunId ?? '?'})` : 'no retrain'}; ${decision.reason}${replaced ? ` (cancelled queued ${replaced})` : ''}`,
            );
            out.push({
              model: m.name,
              decisionId: decision.id,
              retrain: decision.retrain,
              rule: decision.rule,
              suppressedBy: decision.suppressedBy,
              trainRunId: decision.trainRunId,
            });
          }
          return out;
        },
      },
      {
        name: 'alerts',
        retries: 1,
        timeoutMs: 5 * 60_000,
        async run(_p, ctx: TaskContext) {
          const facts = await monitoringFacts(deps);
          const changes = await evaluateAlerts(deps, facts, (kind, a) => {
            ctx.log(`alert ${kind}: ${a.message}`, kind === 'raised' ? 'warn' : 'info');
          });
          return {
            raised: changes.raised.map((a) => a.key),
            resolved: changes.resolved.map((a) => a.key),
            open: changes.open,
          };
        },
      },
    ],
    summarize: (results) => ({
      models: (results.drift as MonitoredModel[] | undefined)?.length ?? 0,
      drifted: ((results.drift as MonitoredModel[] | undefined) ?? [])
        .filter((m) => m.drift === true)
        .map((m) => m.model),
      retrains: (
        (results['retrain-policy'] as { retrain: boolean; model: string }[] | undefined) ?? []
      )
        .filter((d) => d.retrain)
        .map((d) => d.model),
      alerts: results.alerts,
    }),
  };
}
