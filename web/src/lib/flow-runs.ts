// What the UI says about a flow run: whether it has ended, and what it is about (ticker, model, horizon, ...).
import { FLOW_RUN_ENDED_STATES, type FlowInfoView, type FlowRun } from '@stockops/api';
import { i18n } from '../i18n';

export type FlowRunState = FlowRun['state'];

/** Whether a run has reached a state it never leaves (the contract's list; Crashed is retried, so not one). */
export function isEnded(state: FlowRunState): boolean {
  return (FLOW_RUN_ENDED_STATES as readonly FlowRunState[]).includes(state);
}

/** Parameters that say what a run is about, in the order they are shown; the rest only when set. */
const IDENTITY = [
  'ticker',
  'tickers',
  'market',
  'model',
  'models',
  'recipe',
  'horizon',
  'horizons',
];

const MAX_LISTED = 3;

/** A value as the summary shows it, bare ("^GSPC", "1d", "AAPL, TSM"); undefined when it says nothing. */
function showValue(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === false || value === '') {
    return undefined;
  }
  if (Array.isArray(value)) {
    const items = value.map((v: unknown) => showValue(key, v)).filter((v) => v !== undefined);
    if (items.length === 0) {
      return undefined;
    }
    const more = items.length - MAX_LISTED;
    return more > 0 ? `${items.slice(0, MAX_LISTED).join(', ')} +${more}` : items.join(', ');
  }
  if (typeof value === 'number') {
    return key === 'horizon' || key === 'horizons'
      ? i18n.t('common.horizonShort', { h: value })
      : String(value);
  }
  if (typeof value === 'string') {
    if (key === 'market') {
      return i18n.t('flows.market', {
        market: i18n.t(`flows.values.${value}`, { defaultValue: value }),
      });
    }
    if (key === 'model' || key === 'models') {
      return i18n.t(`models.kinds.${value}`, { defaultValue: value });
    }
    return key === 'recipe' ? i18n.t('flows.recipeRef', { ref: value }) : value;
  }
  if (typeof value === 'boolean') {
    return i18n.t(`flows.params.${key}`, { defaultValue: key });
  }
  return JSON.stringify(value);
}

/** Any other parameter names itself: "full", "limit 5"; who started the run reads "by api". */
function showLabelled(key: string, value: unknown): string | undefined {
  const bare = showValue(key, value);
  if (bare === undefined || typeof value === 'boolean') {
    return bare;
  }
  return key === 'actor'
    ? i18n.t('flows.by', { actor: bare })
    : `${i18n.t(`flows.params.${key}`, { defaultValue: key })} ${bare}`;
}

/**
 * A short line saying what a run is about, e.g. "^GSPC · ridge · 1d" for a train run. A parameter the
 * run left out is read from the flow's default, so two train runs of different horizons never look
 * alike; other parameters show only when the run set them to something else than the default.
 */
export function describeFlowRun(
  run: Pick<FlowRun, 'parameters'>,
  flow?: Pick<FlowInfoView, 'parameters'>,
): string {
  const defaults: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(flow?.parameters ?? {})) {
    if (p.default !== undefined) {
      defaults[k] = p.default;
    }
  }
  const given = run.parameters;
  const merged = { ...defaults, ...given };
  const parts: string[] = [];
  for (const key of IDENTITY) {
    // A market only chooses tickers when none are named.
    if (key === 'market' && showValue('tickers', merged.tickers) !== undefined) {
      continue;
    }
    const shown = showValue(key, merged[key]);
    if (shown !== undefined) {
      parts.push(shown);
    }
  }
  for (const [key, value] of Object.entries(given)) {
    if (IDENTITY.includes(key) || JSON.stringify(value) === JSON.stringify(defaults[key])) {
      continue;
    }
    const shown = showLabelled(key, value);
    if (shown !== undefined) {
      parts.push(shown);
    }
  }
  return parts.join(' · ');
}
