// The retrain policy's decision: each rule, each suppression in its order, the numbers behind them, and the settings' checks.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRAIN_POLICY,
  checkRetrainPolicy,
  decideRetrain,
  type RetrainFacts,
  type RetrainPolicySettings,
} from './index.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2008, 9, 1);

const facts = (patch: Partial<RetrainFacts> = {}): RetrainFacts => ({
  now: NOW,
  driftWindows: [],
  accuracy: null,
  championCreatedAt: NOW - 10 * DAY,
  newBars: 10,
  lastRetrainAt: null,
  retrainRunning: false,
  retrainsInLastDay: 0,
  consecutiveFailures: 0,
  ...patch,
});

const policy = (patch: Partial<RetrainPolicySettings> = {}) => ({
  ...DEFAULT_RETRAIN_POLICY,
  ...patch,
});

describe('decideRetrain', () => {
  it('retrains when drift persists over k consecutive windows, not when a clean window breaks the run', () => {
    const yes = decideRetrain(policy(), facts({ driftWindows: [true, true, true, false] }));
    expect(yes).toMatchObject({ retrain: true, rule: 'drift', suppressedBy: null });
    expect(yes.numbers).toMatchObject({ driftWindows: 3, driftWindowsNeeded: 3 });
    expect(yes.reason).toMatch(/data drift in the last 3 monitoring windows/);
    const no = decideRetrain(policy(), facts({ driftWindows: [true, true, false, true] }));
    expect(no).toMatchObject({ retrain: false, rule: null, suppressedBy: null });
    expect(no.reason).toMatch(/^no rule fired/);
  });

  it('retrains on skill below naive by the margin only once N forecasts matured', () => {
    const few = decideRetrain(policy(), facts({ accuracy: { matured: 59, skill: -0.5 } }));
    expect(few.retrain).toBe(false);
    const within = decideRetrain(policy(), facts({ accuracy: { matured: 60, skill: -0.01 } }));
    expect(within.retrain).toBe(false);
    const worse = decideRetrain(policy(), facts({ accuracy: { matured: 60, skill: -0.03 } }));
    expect(worse).toMatchObject({ retrain: true, rule: 'accuracy' });
    expect(worse.numbers).toMatchObject({ matured: 60, skill: -0.03, skillMargin: 0.02 });
  });

  it('retrains an old champion and after enough new bars, and a rule set to null never fires', () => {
    expect(decideRetrain(policy(), facts({ championCreatedAt: NOW - 91 * DAY })).rule).toBe('age');
    expect(decideRetrain(policy(), facts({ newBars: 120 })).rule).toBe('new-bars');
    const off = policy({ maxAgeDays: null, newBars: null });
    expect(decideRetrain(off, facts({ championCreatedAt: 0, newBars: 1e6 })).retrain).toBe(false);
  });

  it('names every rule that fired, the first in rule order as the rule', () => {
    const v = decideRetrain(
      policy(),
      facts({ driftWindows: [true, true, true], newBars: 500, championCreatedAt: 0 }),
    );
    expect(v.fired).toEqual(['drift', 'age', 'new-bars']);
    expect(v.rule).toBe('drift');
  });

  const wanting = facts({ driftWindows: [true, true, true] });

  it('suppresses inside the cooldown of the last retrain and says how long ago it was', () => {
    const v = decideRetrain(policy(), { ...wanting, lastRetrainAt: NOW - 3 * DAY });
    expect(v).toMatchObject({ retrain: false, rule: 'drift', suppressedBy: 'cooldown' });
    expect(v.numbers).toMatchObject({ daysSinceLastRetrain: 3, cooldownDays: 7 });
    expect(v.reason).toMatch(/3 days ago, inside the 7-day cooldown/);
    expect(decideRetrain(policy(), { ...wanting, lastRetrainAt: NOW - 7 * DAY }).retrain).toBe(
      true,
    );
  });

  it('suppresses while a retrain runs, past the daily cap, and when switched off', () => {
    expect(decideRetrain(policy(), { ...wanting, retrainRunning: true }).suppressedBy).toBe(
      'running',
    );
    expect(decideRetrain(policy(), { ...wanting, retrainsInLastDay: 10 }).suppressedBy).toBe(
      'daily-limit',
    );
    expect(decideRetrain(policy({ enabled: false }), wanting).suppressedBy).toBe('disabled');
  });

  it('stops for a model after N failed retrains in a row, before any other suppression', () => {
    const v = decideRetrain(policy(), {
      ...wanting,
      consecutiveFailures: 3,
      retrainRunning: true,
      lastRetrainAt: NOW,
    });
    expect(v.suppressedBy).toBe('failures');
    expect(v.reason).toMatch(/3 retrains of this model failed in a row/);
  });
});

describe('checkRetrainPolicy', () => {
  it('merges a patch over the current settings', () => {
    expect(checkRetrainPolicy({ cooldownDays: 30 })).toEqual({
      ...DEFAULT_RETRAIN_POLICY,
      cooldownDays: 30,
    });
    expect(checkRetrainPolicy({ maxAgeDays: null }).maxAgeDays).toBeNull();
  });

  it('refuses unknown settings and values out of range, naming the field', () => {
    expect(() => checkRetrainPolicy({ k: 3 })).toThrow(/^k: unknown setting/);
    expect(() => checkRetrainPolicy({ driftRuns: 0 })).toThrow(/^driftRuns: expected an integer/);
    expect(() => checkRetrainPolicy({ driftRuns: 1.5 })).toThrow(/driftRuns/);
    expect(() => checkRetrainPolicy({ cooldownDays: null })).toThrow(/cooldownDays/);
    expect(() => checkRetrainPolicy({ approvalTimeoutAction: 'wait' })).toThrow(
      /approvalTimeoutAction/,
    );
    expect(() => checkRetrainPolicy([])).toThrow(/expected a JSON object/);
  });
});
