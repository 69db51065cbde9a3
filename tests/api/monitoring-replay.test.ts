// End to end on the embedded stores: the bundled S&P 500 replayed week by week from calm mid-2007 into the 2008 crash, with an injected clock; the monitor flow raises drift, the retrain policy retrains once and not again inside its cooldown, the decisions log explains both, and the served model never loses to naive on its gate window.
// Real: the runtime (PGlite in memory, file artifacts, in-process flow runner), the CSV import, the train and
// monitor flows. The history enters in weekly chunks of the bundled CSV, as a daily ETL would have loaded it.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type {
  FlowRunRecord,
  MonitoringReportSummary,
  RetrainDecisionRecord,
} from '../../src/core/index.js';
import { openRuntime, type Runtime } from '../../src/runtime/index.js';
import { importCsv } from '../../src/services/index.js';
import { SAMPLE_SYMBOL, samplePath } from '../../src/stores/index.js';

const MODEL = '^GSPC.h1';
const DAY = 86_400_000;
/** Trained on three calm years; replayed from there through the crash. */
const TRAIN_FROM = '2004-07-01';
const REPLAY_FROM = '2007-07-02';
/** Past the credit crunch of August 2007, through the winter, to the week of Bear Stearns. */
const REPLAY_TO = '2008-03-31';
// Longer than the replay after the first retrain, so the whole rest of it sits inside the cooldown.
const COOLDOWN_DAYS = 240;

const lines = readFileSync(samplePath(), 'utf8').trim().split('\n');
const header = lines[0] ?? '';
const rows = lines
  .slice(1)
  .filter((l) => l.slice(0, 10) >= TRAIN_FROM && l.slice(0, 10) <= REPLAY_TO);

let rt: Runtime;
const at = (date: string) => Date.parse(`${date}T21:00:00Z`);

function setClock(date: string): void {
  const now = () => new Date(at(date));
  rt.etl.now = now;
  rt.services.now = now;
}

async function load(chunk: string[]): Promise<void> {
  const bytes = new TextEncoder().encode([header, ...chunk].join('\n'));
  await importCsv(rt.services, { ticker: SAMPLE_SYMBOL, bytes, source: 'replay' });
}

async function waitRun(id: string): Promise<FlowRunRecord> {
  for (;;) {
    const run = await rt.stores.flows.getRun(id);
    if (run && ['Completed', 'Failed', 'Cancelled'].includes(run.state)) {
      return run;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function flow(name: string, parameters: Record<string, unknown>): Promise<FlowRunRecord> {
  const run = await waitRun(await rt.flows.start(name, parameters));
  expect(run.state, `${name}: ${JSON.stringify(run.error)}`).toBe('Completed');
  return run;
}

const timeline: string[] = [];

beforeAll(async () => {
  const home = mkdtempSync(join(tmpdir(), 'stockops-replay-'));
  rt = await openRuntime(
    loadConfig({
      STOCKOPS_HOME: home,
      DATABASE_URL: 'pglite://memory',
      STOCKOPS_SCHEDULES: 'false',
      STOCKOPS_RETRAIN_COOLDOWN_DAYS: String(COOLDOWN_DAYS),
      // Two-sample KS on autocorrelated rolling features is quick to flag; at Evidently's 0.5 even the calm
      // spring of 2007 reaches it against 2004-2007. 0.6 (a setting a version records) marks the regime change.
      STOCKOPS_DRIFT_SHARE: '0.6',
      // Only drift may call for a retrain here: the other rules stay out of the story.
      STOCKOPS_RETRAIN_MAX_AGE_DAYS: 'off',
      STOCKOPS_RETRAIN_NEW_BARS: 'off',
    }),
    'server',
  );
  const first = rows.findIndex((l) => l.slice(0, 10) >= REPLAY_FROM);
  // The clock moves first: the import refuses bars dated after "today".
  setClock(rows[first - 1]?.slice(0, 10) ?? '');
  await load(rows.slice(0, first));
  await flow('train', { ticker: '^GSPC', model: 'ridge', horizon: 1 });
  // One week at a time: the bars, then the monitor (and the retrain it starts, before the next week).
  for (let i = first; i < rows.length; i += 5) {
    const week = rows.slice(i, i + 5);
    const day = week.at(-1)?.slice(0, 10) ?? '';
    setClock(day);
    await load(week);
    const run = await flow('monitor', { tickers: ['^GSPC'], horizons: [1] });
    const children = await rt.stores.flows.listRuns({ parentId: run.id });
    for (const c of children) {
      const done = await waitRun(c.id);
      timeline.push(`${day} retrain ${done.state}: ${JSON.stringify(done.result)}`);
    }
    const [report] = await rt.stores.monitoringReports.list({ model: MODEL, limit: 1 });
    const [decision] = await rt.stores.retrainDecisions.list({ model: MODEL, limit: 1 });
    timeline.push(
      `${day} v${report?.version} drift ${String(report?.featureDrift?.drift)} share ${report?.featureDrift?.share.toFixed(2)} | ${decision?.reason}`,
    );
  }
}, 600_000);

afterAll(async () => {
  await rt.close();
});

const story = () => timeline.join('\n');

describe('monitoring a regime change (S&P 500, 2007-2008)', () => {
  let decisions: RetrainDecisionRecord[];
  let reports: MonitoringReportSummary[];
  beforeAll(async () => {
    decisions = (await rt.stores.retrainDecisions.list({ model: MODEL, limit: 1000 })).reverse();
    reports = (await rt.stores.monitoringReports.list({ model: MODEL, limit: 1000 })).reverse();
  });

  it('raises drift once the crisis reaches the window, and an alert when it persists', async () => {
    expect(reports.length, story()).toBe(decisions.length);
    expect(reports[0]?.featureDrift?.drift, story()).toBe(false);
    const firstDrift = reports.find((r) => r.featureDrift?.drift === true);
    expect(firstDrift?.window.to, story()).toMatch(/^2007-0[89]/);
    const alerts = await rt.stores.alerts.list({});
    expect(alerts.map((a) => a.key)).toContain(`drift:${MODEL}`);
  });

  it('retrains once, after k drifted windows in a row, as a train flow run', async () => {
    const retrains = decisions.filter((d) => d.retrain);
    expect(retrains, story()).toHaveLength(1);
    const [retrain] = retrains;
    expect(retrain).toMatchObject({ rule: 'drift', suppressedBy: null });
    expect(retrain?.numbers).toMatchObject({ driftWindows: 3, driftWindowsNeeded: 3 });
    expect(retrain?.reason).toBe('retrain: data drift in the last 3 monitoring windows (needs 3)');
    const run = await rt.stores.flows.getRun(retrain?.trainRunId ?? '');
    expect(run).toMatchObject({
      flow: 'train',
      state: 'Completed',
      parameters: { ticker: '^GSPC', horizon: 1, actor: 'retrain-policy' },
    });
    // Before it, each decision says how far the drift had come.
    const before = decisions.slice(0, decisions.indexOf(retrain as RetrainDecisionRecord));
    expect(before.every((d) => /^no rule fired: drift in [0-2] of the last 3/.test(d.reason))).toBe(
      true,
    );
  });

  it('does not retrain again inside its cooldown, and says so with the numbers', () => {
    const first = decisions.findIndex((d) => d.retrain);
    const after = decisions.slice(first + 1);
    expect(after.length).toBeGreaterThan(0);
    const suppressed = after.filter((d) => d.suppressedBy === 'cooldown');
    expect(suppressed.length, story()).toBeGreaterThan(0);
    for (const d of suppressed) {
      expect(d).toMatchObject({ retrain: false, rule: 'drift' });
      expect(d.numbers.cooldownDays).toBe(COOLDOWN_DAYS);
      expect(d.numbers.daysSinceLastRetrain).toBeLessThan(COOLDOWN_DAYS);
      expect(d.reason).toMatch(
        /^retrain: data drift in the last \d+ monitoring windows \(needs 3\); suppressed: the last retrain was [\d.]+ days ago, inside the 240-day cooldown$/,
      );
    }
    expect(
      after.every(
        (d) => !d.retrain && d.decidedAt - (decisions[first]?.decidedAt ?? 0) < COOLDOWN_DAYS * DAY,
      ),
    ).toBe(true);
  });

  it('never serves a model that loses to naive on its gate window', async () => {
    const moves = (await rt.stores.aliasLog.list(MODEL)).filter((e) => e.alias === 'champion');
    expect(moves.length).toBeGreaterThanOrEqual(2);
    for (const m of moves) {
      const v = await rt.stores.registry.getVersion(MODEL, m.toVersion ?? 0);
      if (v.tags.kind !== 'naive') {
        expect(m.metrics.rmse, m.reason).toBeLessThan(m.metrics.rmse_naive ?? Number.NaN);
      }
    }
  });
});
