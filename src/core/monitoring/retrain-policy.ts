// The retrain policy as a pure decision: which rule fires for a model, what suppresses it, and the numbers behind both, so every decision can be recorded and explained.
// Rules, in the order they are named when several fire: drift that persists over k consecutive monitoring
// windows, realised skill below naive by a margin over enough matured forecasts, a champion older than a
// maximum age, enough new bars since its training data ended. Suppressions, checked in this order: the
// policy is off, it stopped for the model after repeated failures, a retrain of the model is running, the
// model's last retrain is inside the cooldown, the retrains of the last 24 hours (all models) reached the cap.
import { InvalidInputError } from '../errors/index.js';

export const RETRAIN_RULES = ['drift', 'accuracy', 'age', 'new-bars'] as const;
export type RetrainRule = (typeof RETRAIN_RULES)[number];

export const RETRAIN_SUPPRESSIONS = [
  'disabled',
  'failures',
  'running',
  'cooldown',
  'daily-limit',
] as const;
export type RetrainSuppression = (typeof RETRAIN_SUPPRESSIONS)[number];

/** What happens when an approval is not given in time. */
export const APPROVAL_TIMEOUT_ACTIONS = ['promote', 'reject'] as const;
export type ApprovalTimeoutAction = (typeof APPROVAL_TIMEOUT_ACTIONS)[number];

export interface RetrainPolicySettings {
  /** Whether monitor runs start retrains at all (decisions are recorded either way). @defaultValue true */
  enabled: boolean;
  /** Consecutive drifted monitoring windows that call for a retrain (k). @defaultValue 3 */
  driftRuns: number;
  /** Matured forecasts needed before realised skill may call for a retrain (N). @defaultValue 60 */
  minMatured: number;
  /** Retrain when realised skill (1 - RMSE / RMSE of naive) is below -skillMargin. @defaultValue 0.02 */
  skillMargin: number;
  /** Retrain a champion older than this many days; null switches the rule off. @defaultValue 90 */
  maxAgeDays: number | null;
  /** Retrain once this many bars arrived after the champion's training data; null switches it off. @defaultValue 120 */
  newBars: number | null;
  /** No retrain of a model within this many days of its last one. @defaultValue 7 */
  cooldownDays: number;
  /** At most this many retrains started in any 24 hours, all models together. @defaultValue 10 */
  maxPerDay: number;
  /** After this many failed retrains in a row the policy stops for the model (and an alert is raised). @defaultValue 3 */
  maxFailures: number;
  /** Hold a retrain's promotion until a person approves it. @defaultValue false */
  approval: boolean;
  /** How long a held promotion waits for a person. @defaultValue 24 */
  approvalTimeoutHours: number;
  /** What a held promotion does when nobody answered in time. @defaultValue 'promote' */
  approvalTimeoutAction: ApprovalTimeoutAction;
}

export const DEFAULT_RETRAIN_POLICY: Readonly<RetrainPolicySettings> = {
  enabled: true,
  driftRuns: 3,
  minMatured: 60,
  skillMargin: 0.02,
  maxAgeDays: 90,
  newBars: 120,
  cooldownDays: 7,
  maxPerDay: 10,
  maxFailures: 3,
  approval: false,
  approvalTimeoutHours: 24,
  approvalTimeoutAction: 'promote',
};

const DAY_MS = 86_400_000;

/** What the policy knows about one model when it decides. */
export interface RetrainFacts {
  /** Milliseconds since the epoch. */
  now: number;
  /** Dataset drift of the champion's latest monitoring windows (one per window end date), newest first. */
  driftWindows: readonly boolean[];
  /** Realised accuracy of the champion's matured forecasts; null before any matured. */
  accuracy: { matured: number; skill: number } | null;
  /** When the champion version was registered; null when the model has no champion. */
  championCreatedAt: number | null;
  /** Bars stored after the last bar of the champion's training data; null when unknown. */
  newBars: number | null;
  /** When the policy last started a retrain of this model. */
  lastRetrainAt: number | null;
  /** A retrain of this model is running now. */
  retrainRunning: boolean;
  /** Retrains the policy started in the 24 hours before `now`, all models. */
  retrainsInLastDay: number;
  /** Failed retrains of this model in a row, since its last success or the last change of the settings. */
  consecutiveFailures: number;
}

export interface RetrainVerdict {
  retrain: boolean;
  /** The first rule that fired (also when suppressed); null when none did. */
  rule: RetrainRule | null;
  /** Every rule that fired, in rule order. */
  fired: RetrainRule[];
  suppressedBy: RetrainSuppression | null;
  /** One sentence with the numbers. */
  reason: string;
  numbers: Record<string, number>;
}

/** Leading `true`s of a newest-first list. */
export function consecutiveFromNewest(flags: readonly boolean[]): number {
  let n = 0;
  while (n < flags.length && flags[n] === true) {
    n++;
  }
  return n;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const days = (ms: number) => Math.round((ms / DAY_MS) * 10) / 10;

export function decideRetrain(s: RetrainPolicySettings, f: RetrainFacts): RetrainVerdict {
  const numbers: Record<string, number> = {};
  const fired: RetrainRule[] = [];
  const why: string[] = [];

  const drifted = consecutiveFromNewest(f.driftWindows);
  numbers.driftWindows = drifted;
  numbers.driftWindowsNeeded = s.driftRuns;
  if (drifted >= s.driftRuns) {
    fired.push('drift');
    why.push(`data drift in the last ${drifted} monitoring windows (needs ${s.driftRuns})`);
  }

  if (f.accuracy) {
    numbers.matured = f.accuracy.matured;
    numbers.skill = f.accuracy.skill;
    numbers.minMatured = s.minMatured;
    numbers.skillMargin = s.skillMargin;
    if (f.accuracy.matured >= s.minMatured && f.accuracy.skill < -s.skillMargin) {
      fired.push('accuracy');
      why.push(
        `realised skill ${pct(f.accuracy.skill)} is below naive by more than ${pct(s.skillMargin)} over ${f.accuracy.matured} matured forecasts (needs ${s.minMatured})`,
      );
    }
  }

  if (f.championCreatedAt !== null && s.maxAgeDays !== null) {
    const age = days(f.now - f.championCreatedAt);
    numbers.ageDays = age;
    numbers.maxAgeDays = s.maxAgeDays;
    if (f.now - f.championCreatedAt > s.maxAgeDays * DAY_MS) {
      fired.push('age');
      why.push(`the champion is ${age} days old (at most ${s.maxAgeDays})`);
    }
  }

  if (f.newBars !== null && s.newBars !== null) {
    numbers.newBars = f.newBars;
    numbers.newBarsNeeded = s.newBars;
    if (f.newBars >= s.newBars) {
      fired.push('new-bars');
      why.push(`${f.newBars} new bars since its training data (needs ${s.newBars})`);
    }
  }

  const rule = fired[0] ?? null;
  if (rule === null) {
    return {
      retrain: false,
      rule,
      fired,
      suppressedBy: null,
      reason: `no rule fired: drift in ${drifted} of the last ${s.driftRuns} windows needed${
        f.accuracy
          ? `, skill ${pct(f.accuracy.skill)} over ${f.accuracy.matured} matured forecasts`
          : ', no matured forecasts yet'
      }`,
      numbers,
    };
  }

  const wants = `retrain: ${why.join('; ')}`;
  const suppress = (by: RetrainSuppression, because: string): RetrainVerdict => ({
    retrain: false,
    rule,
    fired,
    suppressedBy: by,
    reason: `${wants}; suppressed: ${because}`,
    numbers,
  });
  if (!s.enabled) {
    return suppress('disabled', 'the retrain policy is switched off');
  }
  numbers.consecutiveFailures = f.consecutiveFailures;
  numbers.maxFailures = s.maxFailures;
  if (f.consecutiveFailures >= s.maxFailures) {
    return suppress(
      'failures',
      `${f.consecutiveFailures} retrains of this model failed in a row (stops at ${s.maxFailures}); a successful training or a change of the policy resumes it`,
    );
  }
  if (f.retrainRunning) {
    return suppress('running', 'a retrain of this model is running');
  }
  if (f.lastRetrainAt !== null) {
    numbers.daysSinceLastRetrain = days(f.now - f.lastRetrainAt);
    numbers.cooldownDays = s.cooldownDays;
    if (f.now - f.lastRetrainAt < s.cooldownDays * DAY_MS) {
      return suppress(
        'cooldown',
        `the last retrain was ${days(f.now - f.lastRetrainAt)} days ago, inside the ${s.cooldownDays}-day cooldown`,
      );
    }
  }
  numbers.retrainsInLastDay = f.retrainsInLastDay;
  numbers.maxPerDay = s.maxPerDay;
  if (f.retrainsInLastDay >= s.maxPerDay) {
    return suppress(
      'daily-limit',
      `${f.retrainsInLastDay} retrains started in the last 24 hours (at most ${s.maxPerDay})`,
    );
  }
  return { retrain: true, rule, fired, suppressedBy: null, reason: wants, numbers };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Settings from a partial patch over `base`, every field checked: integers where counts are meant,
 * fractions in range, null only where a rule can be switched off.
 */
export function checkRetrainPolicy(
  patch: unknown,
  base: RetrainPolicySettings = DEFAULT_RETRAIN_POLICY,
): RetrainPolicySettings {
  if (!isObject(patch)) {
    throw new InvalidInputError('retrain policy', 'expected a JSON object');
  }
  const known = Object.keys(DEFAULT_RETRAIN_POLICY);
  const extra = Object.keys(patch).find((k) => !known.includes(k));
  if (extra !== undefined) {
    throw new InvalidInputError(extra, `unknown setting; expected one of ${known.join(', ')}`);
  }
  const out: RetrainPolicySettings = { ...base, ...(patch as Partial<RetrainPolicySettings>) };
  const bool = (k: 'enabled' | 'approval') => {
    if (typeof out[k] !== 'boolean') {
      throw new InvalidInputError(k, `expected true or false, found ${JSON.stringify(out[k])}`);
    }
  };
  const int = (k: keyof RetrainPolicySettings, min: number, max: number, nullable = false) => {
    const v = out[k];
    if (nullable && v === null) {
      return;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new InvalidInputError(
        k,
        `expected an integer in [${min}, ${max}]${nullable ? ' or null (off)' : ''}, found ${JSON.stringify(v)}`,
      );
    }
  };
  const num = (k: keyof RetrainPolicySettings, min: number, max: number) => {
    const v = out[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      throw new InvalidInputError(
        k,
        `expected a number in [${min}, ${max}], found ${JSON.stringify(v)}`,
      );
    }
  };
  bool('enabled');
  bool('approval');
  int('driftRuns', 1, 1000);
  int('minMatured', 1, 100_000);
  num('skillMargin', 0, 1);
  int('maxAgeDays', 1, 3650, true);
  int('newBars', 1, 100_000, true);
  num('cooldownDays', 0, 365);
  int('maxPerDay', 0, 10_000);
  int('maxFailures', 1, 1000);
  num('approvalTimeoutHours', 0.01, 24 * 90);
  if (!(APPROVAL_TIMEOUT_ACTIONS as readonly unknown[]).includes(out.approvalTimeoutAction)) {
    throw new InvalidInputError(
      'approvalTimeoutAction',
      `expected ${APPROVAL_TIMEOUT_ACTIONS.join(' or ')}, found ${JSON.stringify(out.approvalTimeoutAction)}`,
    );
  }
  return out;
}
