// FitPool on real worker threads (the tsc output in dist/, built by the global setup) against fits on this thread.
// Nothing here measures time: that the event loop stays free follows from where the fits ran (each share
// reports its threadId), and `npm run bench:event-loop` measures the gaps as a figure.
import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import {
  InsufficientHistoryError,
  isStockopsError,
  UnknownFeatureSetError,
  type Bar,
} from '../core/index.js';
import { randomWalkBars, sym } from '../core/testing/index.js';
import { compareModels, compareModelsOn } from './evaluate.js';
import { FitPool } from './fit-pool.js';
import { fitAndEvaluate, fitParams, type FitSettings } from './model-fit.js';

const pool = new FitPool(2);
afterAll(async () => {
  await pool.close();
});

const bars = randomWalkBars(3000, 7);
/** A small GBDT (few trees, one grid point per axis) so the comparison stays quick. */
const smallGbdt: FitSettings = {
  model: 'gbdt',
  horizon: 5,
  modelOptions: { gbdt: { maxIter: 25, grid: { maxLeafNodes: [7, 15], minSamplesLeaf: [40] } } },
};

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the fit to fail');
}

describe('FitPool', () => {
  it('runs every fit on its own worker threads, never on the calling thread, unlike a fit on this thread', async () => {
    const settings: FitSettings = { model: 'ridge', horizon: 1 };
    const onThread = fitAndEvaluate('RW', bars, settings);
    expect(onThread.fitThreads).toEqual([threadId]);
    let folds = 0;
    const inPool = await pool.fit('RW', bars, settings, {
      onFold: () => {
        folds++;
      },
    });
    // One share per pool thread, each read inside the fit where it ran: so this thread's event loop
    // only ever waited for messages.
    expect(inPool.fitThreads).toHaveLength(2);
    expect(new Set(inPool.fitThreads).size).toBe(2);
    expect(inPool.fitThreads).not.toContain(threadId);
    expect(pool.threadIds()).toEqual(expect.arrayContaining(inPool.fitThreads));
    expect(folds).toBeGreaterThan(0);
  });

  it('returns the same model, report, intervals and tuning trials as a fit on this thread', async () => {
    const cases: [Bar[], FitSettings][] = [
      [bars, { model: 'ridge', horizon: 1 }],
      [bars.slice(0, 1500), smallGbdt],
    ];
    for (const [some, settings] of cases) {
      const [mine, theirs] = [
        fitAndEvaluate('RW', some, settings),
        await pool.fit('RW', some, settings),
      ];
      expect(theirs.modelJson).toEqual(mine.modelJson);
      expect(theirs.report).toEqual(mine.report);
      expect(theirs.conformal).toEqual(mine.conformal);
      expect(theirs.built).toEqual(mine.built);
      expect(theirs.featureSet).toBe(mine.featureSet);
      expect(fitParams(theirs)).toEqual(fitParams(mine));
      expect(theirs.final.params()).toEqual(mine.final.params());
      expect(theirs.final.tuningTrials()).toEqual(mine.final.tuningTrials());
      expect(theirs.final.tuningTrials().length).toBeGreaterThan(0);
      // The rebuilt model predicts what the fitted one does.
      expect(theirs.final.predict(mine.built.latest)).toEqual(
        mine.final.predict(mine.built.latest),
      );
    }
  });

  it("spreads one ticker's folds and final fit over every thread, reporting progress over all folds", async () => {
    let most = 0;
    const progress: [number, number][] = [];
    const fit = pool.fit('RW', bars.slice(0, 1500), smallGbdt, {
      onFold: (done, total) => {
        progress.push([done, total]);
        most = Math.max(most, pool.busy);
      },
    });
    const out = await fit;
    expect(most).toBe(2);
    expect(pool.busy).toBe(0);
    const total = out.report.folds.length;
    expect(progress.map(([d]) => d)).toEqual(Array.from({ length: total }, (_, k) => k + 1));
    expect(progress.every(([, t]) => t === total)).toBe(true);
  });

  it('rejects with the error class, code and details the fit threw on its thread', async () => {
    const short: Bar[] = bars.slice(0, 100);
    const e = await rejection(pool.fit('SHORT', short, { model: 'ridge', horizon: 1 }));
    expect(e).toBeInstanceOf(InsufficientHistoryError);
    expect(isStockopsError(e) && e.code).toBe('INSUFFICIENT_HISTORY');
    expect(isStockopsError(e) && e.details).toEqual({ symbol: 'SHORT', needed: 132, found: 100 });
    expect((e as Error).message).toBe(
      'Ticker "SHORT" has 100 usable rows; at least 132 are needed.',
    );
    // An unknown feature set was a plain Error before it had a class of its own.
    const unknownSet = await rejection(
      pool.fit('RW', bars, { model: 'ridge', horizon: 1, featureSet: 'nope@1' }),
    );
    expect(unknownSet).toBeInstanceOf(Error);
    expect(unknownSet).toBeInstanceOf(UnknownFeatureSetError);
    expect(isStockopsError(unknownSet) && unknownSet.code).toBe('UNKNOWN_FEATURE_SET');
    expect((unknownSet as Error).message).toMatch(/Unknown feature set "nope@1"/);
  });

  it('stops a fit when its signal aborts by terminating its threads, rejecting with the reason, and goes on with the next fit', async () => {
    const ac = new AbortController();
    const reason = new Error('cancelled on request');
    let running: number[] = [];
    let folds = 0;
    // Aborted at its first fold: a synchronous fit cannot be interrupted, so only ending its threads stops it.
    const fit = pool.fit(
      'RW',
      bars,
      { ...smallGbdt, modelOptions: {} },
      {
        signal: ac.signal,
        onFold: () => {
          folds++;
          running = pool.threadIds();
          ac.abort(reason);
        },
      },
    );
    expect(await rejection(fit)).toBe(reason);
    expect(folds).toBe(1);
    expect(running).toHaveLength(2);
    expect(await pool.retiredThreads()).toEqual(expect.arrayContaining(running));
    expect(pool.threadIds().some((id) => running.includes(id))).toBe(false);
    const queued = new AbortController();
    queued.abort(reason);
    expect(await rejection(pool.fit('RW', bars, smallGbdt, { signal: queued.signal }))).toBe(
      reason,
    );
    const next = await pool.fit('RW', bars.slice(0, 400), { model: 'ridge', horizon: 1 });
    expect(next.report.folds.length).toBeGreaterThan(0);
    // On fresh threads: the terminated ones are gone.
    expect(next.fitThreads.some((id) => running.includes(id))).toBe(false);
  });

  it('compares models with each walk-forward on its own thread, scoring exactly as on this thread', async () => {
    const input = {
      ticker: sym('T'),
      horizon: 5,
      models: ['naive', 'ridge', 'gbdt'] as const,
      modelOptions: smallGbdt.modelOptions ?? {},
    };
    const seen: string[] = [];
    const off = await compareModelsOn(
      pool,
      'T',
      bars,
      { ...input, models: [...input.models] },
      (p) => seen.push(`${p.model}:${String(p.done)}/${String(p.total)}`),
    );
    const on = compareModels('T', bars, { ...input, models: [...input.models] });
    const withoutTimes = (c: typeof on) => ({
      ...c,
      models: c.models.map(({ seconds: _s, ...m }) => m),
    });
    expect(withoutTimes(off)).toEqual(withoutTimes(on));
    expect(off.models.map((m) => m.model)).toEqual(['naive', 'ridge', 'gbdt']);
    // Progress counts every fold of every model once, whichever thread finished it.
    const total = on.models.reduce((n, m) => n + m.folds, 0);
    expect(seen).toHaveLength(total);
    expect(seen.at(-1)).toMatch(new RegExp(`:${String(total)}/${String(total)}$`));
    const e = await rejection(
      compareModelsOn(pool, 'SHORT', bars.slice(0, 40), { ...input, models: ['ridge'] }),
    );
    expect(e).toBeInstanceOf(InsufficientHistoryError);
  });
});
