import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshDb } from '../../tests/helpers.js';
import type { BusEvent, PriceStore } from '../core/index.js';
import { syms } from '../core/testing/index.js';
import { FileArtifactStore } from '../stores/artifacts/index.js';
import { ParquetDatasetStore } from '../stores/datasets/index.js';
import { InProcessBus } from '../stores/events/index.js';
import {
  migrate,
  openPglite,
  SqlAliasLog,
  SqlEtlRunLog,
  SqlPriceStore,
  SqlRegistry,
  SqlTracker,
  type SqlClient,
} from '../stores/sql/index.js';
import { replayChart, YahooPriceSource, type ChartFn } from '../stores/yahoo/index.js';
import { exchangeDate, mapLimit, runEtl, type EtlDeps } from './etl.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'yahoo');
const noSleep = { sleep: () => Promise.resolve(), random: () => 0 };

function depsOn(db: SqlClient, chart: ChartFn, now: string): EtlDeps {
  const artifacts = new FileArtifactStore(mkdtempSync(join(tmpdir(), 'stockops-etl-')));
  return {
    prices: new SqlPriceStore(db),
    tracker: new SqlTracker(db, artifacts),
    registry: new SqlRegistry(db),
    aliasLog: new SqlAliasLog(db),
    now: () => new Date(now),
    source: new YahooPriceSource({ chart, now: () => new Date(now), backoff: noSleep }),
    etlRuns: new SqlEtlRunLog(db),
    datasets: new ParquetDatasetStore(artifacts),
  };
}

/** A second, separate embedded database, for comparing two ingest histories. */
async function freshOtherDb(): Promise<SqlClient> {
  const db = await openPglite('memory://');
  await migrate(db);
  return db;
}

const maxAbsLogReturn = (xs: number[]) =>
  Math.max(...xs.slice(1).map((x, i) => Math.abs(Math.log(x / (xs[i] ?? x)))));

describe('runEtl on recorded Yahoo responses', () => {
  let db: SqlClient;
  let deps: EtlDeps;
  let prices: PriceStore;
  beforeEach(async () => {
    db = await freshDb();
    deps = depsOn(db, replayChart(FIXTURES), '2020-10-01T12:00:00Z');
    prices = deps.prices;
  });

  it('runs extract -> validate -> load raw -> clean -> quality -> snapshot with counts for each step', async () => {
    const run = await runEtl(deps, { tickers: syms('AAPL', 'TSM', '2330.TW'), trigger: 'test' });
    expect(run.status).toBe('completed');
    expect(run.steps.map((s) => s.step)).toEqual([
      'extract',
      'validate',
      'load_raw',
      'clean',
      'quality',
      'snapshot',
    ]);
    expect(run.steps[0]?.counts).toMatchObject({
      tickers: 3,
      failed: 0,
      bars: 64 + 64 + 66,
      actions: 4,
    });
    expect(run.steps[1]?.counts).toMatchObject({
      valid: 64 + 64 + 65,
      quarantined: 1,
      duplicates: 0,
    });
    expect(run.steps[2]?.counts).toMatchObject({
      inserted: 193,
      updated: 0,
      unchanged: 0,
      actions: 4,
    });
    const tw = run.results.find((r) => r.symbol === '2330.TW');
    expect(tw).toMatchObject({
      status: 'ok',
      fetched: 66,
      quarantined: 1,
      inserted: 65,
      cleanRows: 65,
    });
    const q = await prices.listQuarantine('2330.TW');
    expect(q).toEqual([
      expect.objectContaining({
        source: 'yahoo',
        line: 55,
        reason: 'missing value in every column (a null bar)',
      }),
    ]);
    expect(JSON.parse(q[0]?.raw ?? '{}')).toMatchObject({
      date: '2020-09-15T01:00:00.000Z',
      close: null,
    });
    // Every check ran for every ticker and is kept with the run; the null bar shows up as a one-session gap.
    expect(run.quality).toHaveLength(9);
    expect(run.quality.find((c) => c.symbol === '2330.TW' && c.check === 'gaps')).toMatchObject({
      status: 'warn',
      count: 1,
    });
    expect(run.quality.filter((c) => c.check !== 'gaps').every((c) => c.status === 'pass')).toBe(
      true,
    );
    expect((await deps.etlRuns.list()).map((r) => r.id)).toEqual([run.id]);
    expect((await deps.etlRuns.get(run.id)).quality).toHaveLength(9);
  });

  it('writes each cleaned series as a Parquet snapshot that reads back to the same bars', async () => {
    const run = await runEtl(deps, { tickers: syms('TSM') });
    const ref = run.results[0]?.snapshot;
    expect(ref).toMatchObject({
      format: 'parquet',
      rows: 64,
      from: '2020-07-01',
      to: '2020-09-30',
    });
    const back = await deps.datasets.read(ref?.digest ?? '');
    expect(back).toEqual({ symbol: 'TSM', bars: await prices.getBars('TSM') });
  });

  it('is idempotent: a re-run fetches incrementally and the overlap comes back unchanged', async () => {
    const first = await runEtl(deps, { tickers: syms('AAPL') });
    const rawBefore = await prices.getRawBars('AAPL');
    const again = await runEtl(deps, { tickers: syms('AAPL') });
    const r = again.results[0];
    expect(r).toMatchObject({ status: 'ok', inserted: 0, updated: 0, actions: 0 });
    expect(r?.unchanged).toBeGreaterThan(0);
    expect(r?.unchanged).toBe(r?.fetched);
    expect(again.steps.find((s) => s.step === 'clean')?.counts.written).toBe(0);
    expect(await prices.getRawBars('AAPL')).toEqual(rawBefore);
    expect(r?.snapshot?.digest).toBe(first.results[0]?.snapshot?.digest);
  });

  it('keeps the adjusted close continuous when a 4:1 split arrives in an incremental fetch', async () => {
    // First ingest on 2020-08-21, before the split, in pre-split prices; then an incremental one after it.
    await runEtl(depsOn(db, replayChart(join(FIXTURES, 'before-split')), '2020-08-21T12:00:00Z'), {
      tickers: syms('AAPL'),
    });
    const before = await prices.getBars('AAPL');
    expect(before.at(-1)?.close).toBeGreaterThan(400);
    const after = await runEtl(deps, { tickers: syms('AAPL') });
    expect(after.results[0]).toMatchObject({ status: 'ok', actions: 1 });
    expect(after.results[0]?.updated).toBeGreaterThan(0);
    const clean = await prices.getBars('AAPL');
    // Unadjusted, the split would be ln(1/4) = -1.39 in one day; real daily moves stay far below 0.2.
    expect(maxAbsLogReturn(clean.map((b) => b.adjClose))).toBeLessThan(0.2);
    expect(after.quality.find((c) => c.check === 'jumps')).toMatchObject({
      status: 'pass',
      count: 0,
    });
    // The raw rows keep what was fetched: the old ones are still in pre-split prices.
    expect((await prices.getRawBars('AAPL', { to: '2020-07-01' }))[0]?.close).toBeGreaterThan(300);

    // The same series as one full fetch after the split would give.
    const other = depsOn(await freshOtherDb(), replayChart(FIXTURES), '2020-10-01T12:00:00Z');
    await runEtl(other, { tickers: syms('AAPL') });
    const full = await other.prices.getBars('AAPL');
    expect(clean.map((b) => b.date)).toEqual(full.map((b) => b.date));
    clean.forEach((b, i) => {
      const f = full[i];
      expect(b.close).toBeCloseTo(f?.close ?? Number.NaN, 9);
      expect(b.adjClose / (f?.adjClose ?? Number.NaN)).toBeCloseTo(1, 12);
      expect(b.volume).toBe(f?.volume);
    });
  });

  it('reports a failing ticker with its step and reason and goes on with the others', async () => {
    const replay = replayChart(FIXTURES);
    const chart: ChartFn = (symbol, options) =>
      symbol === 'BROKEN' ? Promise.resolve({ meta: {}, quotes: 'no' }) : replay(symbol, options);
    const run = await runEtl(depsOn(db, chart, '2020-10-01T12:00:00Z'), {
      tickers: syms('AAPL', 'NOPE', 'BROKEN'),
    });
    expect(run.status).toBe('partial');
    expect(run.results.map((r) => [r.symbol, r.status, r.error?.step, r.error?.code])).toEqual([
      ['AAPL', 'ok', undefined, undefined],
      ['NOPE', 'failed', 'extract', 'SOURCE_ERROR'],
      ['BROKEN', 'failed', 'extract', 'SOURCE_ERROR'],
    ]);
    expect(run.results[2]?.error?.message).toMatch(/unexpected chart\(\) response/);
    expect(run.steps[0]?.counts).toMatchObject({ tickers: 3, failed: 2 });
    expect(run.steps[1]?.counts.tickers).toBe(1);
    expect((await deps.etlRuns.get(run.id)).status).toBe('partial');
  });

  it('announces each ticker it loaded on the bus, and none it failed', async () => {
    const events = new InProcessBus({ instanceId: 'etl-test' });
    const seen: BusEvent[] = [];
    events.subscribe(['data'], (e) => seen.push(e));
    const run = await runEtl({ ...deps, events }, { tickers: syms('AAPL', 'NOPE') });
    await events.flush();
    const aapl = run.results[0];
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      type: 'data.loaded',
      key: 'AAPL',
      data: {
        origin: 'etl',
        newBars: aapl?.inserted,
        updatedBars: aapl?.updated,
        lastDate: aapl?.to,
        etlRunId: run.id,
      },
    });
    await events.close();
  });

  it('fetches with bounded concurrency', async () => {
    const replay = replayChart(FIXTURES);
    let inFlight = 0;
    let peak = 0;
    const chart: ChartFn = async (symbol, options) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return replay(symbol, options);
    };
    const run = await runEtl(
      depsOn(db, chart, '2020-10-01T12:00:00Z'),
      { tickers: syms('AAPL', 'TSM', '2330.TW', '^GSPC'), snapshot: false },
      { concurrency: 2 },
    );
    expect(run.status).toBe('completed');
    expect(peak).toBe(2);
    expect(run.steps.map((s) => s.step)).not.toContain('snapshot');
  });
});

describe('mapLimit', () => {
  it('keeps the input order', async () => {
    expect(
      await mapLimit(
        [30, 10, 20],
        2,
        async (ms, i) => (await new Promise((r) => setTimeout(r, ms)), i),
      ),
    ).toEqual([0, 1, 2]);
  });
});

describe('exchangeDate', () => {
  it('is the calendar date of the exchange, so a session east of UTC is not in the future', () => {
    const now = new Date('2024-01-02T22:30:00Z');
    expect(exchangeDate(now, 'Pacific/Auckland')).toBe('2024-01-03');
    expect(exchangeDate(now, 'America/New_York')).toBe('2024-01-02');
    expect(exchangeDate(now, 'Not/AZone')).toBe('2024-01-02');
  });
});
