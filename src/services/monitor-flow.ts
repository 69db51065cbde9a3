// The `monitor` flow: drift of every served champion against its reference (one report each), the retrain policy on each, then the alert rules over everything monitoring knows.
import {
  addDays,
  HORIZONS,
  InvalidInputError,
  isHorizon,
  normalizeSymbol,
  type FlowDefinition,
  type TaskContext,
} from '../core/index.js';
import { evaluateAlerts, monitoringFacts } from './alerts.js';
import type { ServiceDeps } from './deps.js';
import { monitorModel, servedModels, type ServedModel } from './monitor.js';
import { applyRetrainPolicy } from './retrain-policy.js';

export interface MonitorFlowParams {
  tickers: string[] | null;
  horizons: number[] | null;
  /** Only tickers of one exchange group: Taipei (`.TW`, `.TWO`) or the others. */
  market: 'US' | 'TW' | 'ALL';
  /** What started it: schedule, data.loaded, api... */
  trigger: string;
}

const PARAMETERS = ['tickers', 'horizons', 'market', 'trigger'] as const;

export function parseMonitorParams(raw: unknown): MonitorFlowParams {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidInputError('parameters', 'expected a JSON object');
  }
  const p = raw as Record<string, unknown>;
  const extra = Object.keys(p).find((k) => !(PARAMETERS as readonly string[]).includes(k));
  if (extra !== undefined) {
    throw new InvalidInputError(
      extra,
      `unknown parameter; expected one of ${PARAMETERS.join(', ')}`,
    );
  }
  let tickers: string[] | null = null;
  if (p.tickers !== undefined && p.tickers !== null) {
    if (!Array.isArray(p.tickers) || p.tickers.length === 0 || p.tickers.length > 500) {
      throw new InvalidInputError(
        'tickers',
        'expected a non-empty list of at most 500 ticker symbols',
      );
    }
    tickers = p.tickers.map((t, i) => {
      if (typeof t !== 'string') {
        throw new InvalidInputError(`tickers.${i}`, 'expected a ticker symbol string');
      }
      return normalizeSymbol(t, `tickers.${i}`);
    });
  }
  let horizons: number[] | null = null;
  if (p.horizons !== undefined && p.horizons !== null) {
    if (!Array.isArray(p.horizons) || p.horizons.length === 0) {
      throw new InvalidInputError('horizons', 'expected a non-empty list');
    }
    horizons = p.horizons.map((h, i) => {
      if (!isHorizon(h)) {
        throw new InvalidInputError(`horizons.${i}`, `expected one of ${HORIZONS.join(', ')}`);
      }
      return h;
    });
  }
  const market = p.market ?? 'ALL';
  if (market !== 'US' && market !== 'TW' && market !== 'ALL') {
    throw new InvalidInputError('market', 'expected US, TW or ALL');
  }
  return {
    tickers,
    horizons,
    market,
    trigger: typeof p.trigger === 'string' ? p.trigger : 'api',
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
      'For each served champion: drift of its latest rows (features, return, predictions) against the reference stored at training, one report each; the retrain policy (a retrain is a train run); the alert rules.',
    parameters: {
      tickers: { type: 'string[]', description: 'tickers; default: every model with a champion' },
      horizons: { type: '(1 | 5 | 20)[]', description: 'horizons; default: all' },
      market: {
        type: 'US | TW | ALL',
        description: 'exchange group when tickers is empty',
        default: 'ALL',
      },
    },
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
        name: 'retrain-policy',
        // Not retried: a second attempt would record its decisions twice.
        timeoutMs: 10 * 60_000,
        async run(p, ctx: TaskContext) {
          const monitored = ctx.results.drift as MonitoredModel[];
          const byName = new Map((await scope(deps, p)).map((m) => [m.name, m]));
          const out = [];
          for (const r of monitored) {
            const m = byName.get(r.model);
            // A champion that moved since the drift task is the next run's business.
            if (!m || m.champion.version !== r.version) {
              continue;
            }
            const { decision, replaced } = await applyRetrainPolicy(deps, m, {
              reportId: r.reportId,
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
