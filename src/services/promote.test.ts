// The promotion gate's decisions: same window for every contender, margin, naive as the floor for first versions and after, no common window; and alias moves on the bus.
import { describe, expect, it } from 'vitest';
import { freshDb } from '../../tests/helpers.js';
import type { BusEvent, WalkForwardReport } from '../core/index.js';
import { InProcessBus } from '../stores/events/index.js';
import { SqlAliasLog, SqlRegistry } from '../stores/sql/index.js';
import type { ServiceDeps } from './deps.js';
import { decide, scoreWindow, setChampion } from './promote.js';

const report = (rows: { date: string; actual: number; predicted: number }[]): WalkForwardReport =>
  ({
    folds: [{ testStart: rows.length - 30, testEnd: rows.length }],
    predictions: rows,
  }) as unknown as WalkForwardReport;

const days = (n: number, start = 0) =>
  Array.from(
    { length: n },
    (_, i) =>
      `2020-${String(1 + Math.floor((start + i) / 28)).padStart(2, '0')}-${String(1 + ((start + i) % 28)).padStart(2, '0')}`,
  );

describe('scoreWindow', () => {
  it('scores challenger, naive and champion on the most recent dates both have forecasts for', () => {
    const d = days(60);
    const challenger = report(d.map((date) => ({ date, actual: 0.01, predicted: 0.005 })));
    // The champion's forecasts stop 10 days earlier (trained on older data).
    const champion = report(d.slice(0, 50).map((date) => ({ date, actual: 0.01, predicted: 0 })));
    const s = scoreWindow('rmse', challenger, champion);
    expect(s.window).toEqual({ from: d[20], to: d[49], rows: 30 });
    expect(s.challenger).toBeCloseTo(0.005);
    expect(s.naive).toBeCloseTo(0.01);
    expect(s.champion).toBeCloseTo(0.01);
  });
});

describe('decide', () => {
  const gate = { metric: 'rmse' as const, margin: 0 };
  const w = { from: 'a', to: 'b', rows: 30 };
  const model = (championVersion: number | null, championIsNaive = false) => ({
    championVersion,
    championIsNaive,
    challengerIsNaive: false,
  });

  it('promotes only a version that beats both naive and the champion', () => {
    expect(
      decide(gate, { window: w, challenger: 1, naive: 2, champion: 1.5 }, model(1)).promoted,
    ).toBe(true);
    const worse = decide(gate, { window: w, challenger: 1.6, naive: 2, champion: 1.5 }, model(1));
    expect(worse).toMatchObject({ promoted: false, outcome: 'keep' });
    expect(worse.decision).toMatch(/does not beat champion v1/);
    expect(
      decide(gate, { window: w, challenger: 2.1, naive: 2, champion: 1.9 }, model(1)).decision,
    ).toMatch(/does not beat naive/);
  });

  it('requires the configured margin', () => {
    const g = { metric: 'rmse' as const, margin: 0.1 };
    expect(
      decide(g, { window: w, challenger: 0.95, naive: 2, champion: 1 }, model(1)).promoted,
    ).toBe(false);
    expect(
      decide(g, { window: w, challenger: 0.85, naive: 2, champion: 1 }, model(1)).promoted,
    ).toBe(true);
  });

  it('promotes a first version only when it beats naive; otherwise naive is the floor and serves', () => {
    const first = decide(
      gate,
      { window: w, challenger: 1.9, naive: 2, champion: null },
      model(null),
    );
    expect(first).toMatchObject({ promoted: true, outcome: 'promote' });
    expect(first.decision).toMatch(/^promoted: first version; RMSE 1\.9000 beats naive 2\.0000/);
    const worse = decide(gate, { window: w, challenger: 3, naive: 2, champion: null }, model(null));
    expect(worse).toMatchObject({ promoted: false, outcome: 'naive' });
    expect(worse.decision).toMatch(
      /does not beat naive 2\.0000 on a\.\.b \(30 rows\); naive serves/,
    );
    const margin = decide(
      { metric: 'rmse', margin: 0.1 },
      { window: w, challenger: 1.9, naive: 2, champion: null },
      model(null),
    );
    expect(margin.outcome).toBe('naive');
  });

  it('makes a first naive version champion: it is the floor', () => {
    const r = decide(
      gate,
      { window: w, challenger: 2, naive: 2, champion: null },
      { championVersion: null, championIsNaive: false, challengerIsNaive: true },
    );
    expect(r).toMatchObject({ promoted: true, outcome: 'promote' });
    expect(r.decision).toMatch(/naive is the floor/);
  });

  it('keeps a naive champion until a version beats naive, comparing with naive alone', () => {
    const naiveChampion = model(1, true);
    expect(
      decide(gate, { window: w, challenger: 2.1, naive: 2, champion: null }, naiveChampion),
    ).toMatchObject({ outcome: 'keep', promoted: false });
    expect(
      decide(gate, { window: w, challenger: 1.9, naive: 2, champion: null }, naiveChampion),
    ).toMatchObject({ outcome: 'promote', promoted: true });
    const again = decide(
      gate,
      { window: w, challenger: 2, naive: 2, champion: null },
      { championVersion: 1, championIsNaive: true, challengerIsNaive: true },
    );
    expect(again).toMatchObject({ outcome: 'keep' });
    expect(again.decision).toMatch(/already the naive forecast/);
  });

  it('hands the alias to naive when neither the new version nor the champion beats naive any longer', () => {
    const r = decide(gate, { window: w, challenger: 2.2, naive: 2, champion: 2.1 }, model(3));
    expect(r).toMatchObject({ outcome: 'naive', promoted: false });
    expect(r.decision).toMatch(/champion v3 \(2\.1000\) does not beat naive either/);
    // A naive version registered later takes the alias from a champion worse than naive.
    const floor = decide(
      gate,
      { window: w, challenger: 2, naive: 2, champion: 2.1 },
      { championVersion: 3, championIsNaive: false, challengerIsNaive: true },
    );
    expect(floor).toMatchObject({ outcome: 'promote', promoted: true });
    const stays = decide(
      gate,
      { window: w, challenger: 2, naive: 2, champion: 1.9 },
      { championVersion: 3, championIsNaive: false, challengerIsNaive: true },
    );
    expect(stays).toMatchObject({ outcome: 'keep' });
  });

  it('refuses promotion when the champion and the challenger share too few forecast dates', () => {
    const r = decide(
      gate,
      { window: { ...w, rows: 3 }, challenger: 1, naive: 2, champion: 3 },
      model(4),
    );
    expect(r.promoted).toBe(false);
    expect(r.decision).toMatch(/only 3 rows/);
  });
});

describe('setChampion', () => {
  it('announces the alias move on the bus as the audit log records it', async () => {
    const db = await freshDb();
    const registry = new SqlRegistry(db);
    const aliasLog = new SqlAliasLog(db);
    const events = new InProcessBus({ instanceId: 'promote-test' });
    const seen: BusEvent[] = [];
    events.subscribe(['models'], (e) => seen.push(e));
    await registry.ensureModel('AAPL.h5');
    const v1 = await registry.createVersion({ name: 'AAPL.h5', source: 's', runId: 'r1' });
    const v2 = await registry.createVersion({ name: 'AAPL.h5', source: 's', runId: 'r2' });
    const deps = { registry, aliasLog, events } as unknown as ServiceDeps;
    await setChampion(deps, { name: 'AAPL.h5', version: v1.version, reason: 'first', actor: 'me' });
    await setChampion(deps, {
      name: 'AAPL.h5',
      version: v2.version,
      reason: 'rollforward',
      actor: 'me',
    });
    await events.flush();
    expect(seen.map((e) => e.type)).toEqual(['model.alias-moved', 'model.alias-moved']);
    expect(seen[1]).toMatchObject({
      key: 'AAPL.h5',
      data: { alias: 'champion', fromVersion: v1.version, toVersion: v2.version, actor: 'me' },
    });
    const logged = (await aliasLog.list('AAPL.h5')).map(({ id: _id, ...move }) => move);
    expect(seen.map((e) => e.data)).toEqual(expect.arrayContaining(logged));
    await events.close();
  });
});
