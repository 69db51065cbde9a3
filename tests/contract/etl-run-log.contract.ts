// Contract every EtlRunLog adapter passes (SQL on PGlite and PostgreSQL).
import { beforeEach, describe, expect, it } from 'vitest';
import type { EtlRunLog } from '../../src/core/index.js';

export function etlRunLogContract(name: string, make: () => Promise<EtlRunLog>): void {
  describe(`EtlRunLog contract: ${name}`, () => {
    let log: EtlRunLog;
    beforeEach(async () => {
      log = await make();
    });

    it('records a run from start to finish with steps, results and quality checks', async () => {
      const id = '00000000-0000-4000-8000-000000000001';
      await log.start({ id, trigger: 'cli', tickers: ['AAPL'], startedAt: 1000 });
      expect(await log.get(id)).toMatchObject({
        status: 'running',
        endedAt: null,
        steps: [],
        quality: [],
      });
      await log.finish(id, {
        status: 'partial',
        endedAt: 2000,
        steps: [{ step: 'extract', ms: 12, counts: { tickers: 1, failed: 0, bars: 64 } }],
        results: [
          {
            symbol: 'AAPL',
            status: 'ok',
            fetched: 64,
            quarantined: 0,
            inserted: 64,
            updated: 0,
            unchanged: 0,
            actions: 2,
            cleanRows: 64,
            from: '2020-07-01',
            to: '2020-09-30',
          },
        ],
        quality: [
          { symbol: 'AAPL', check: 'gaps', status: 'pass', count: 0, examples: [] },
          {
            symbol: 'AAPL',
            check: 'jumps',
            status: 'warn',
            count: 1,
            examples: ["x -> y: -75.0% 'quoted'"],
          },
        ],
      });
      const run = await log.get(id);
      expect(run).toMatchObject({
        id,
        status: 'partial',
        trigger: 'cli',
        tickers: ['AAPL'],
        startedAt: 1000,
        endedAt: 2000,
      });
      expect(run.steps[0]?.counts.bars).toBe(64);
      expect(run.results[0]?.inserted).toBe(64);
      expect(run.quality.map((q) => [q.check, q.status, q.examples])).toEqual([
        ['gaps', 'pass', []],
        ['jumps', 'warn', ["x -> y: -75.0% 'quoted'"]],
      ]);
    });

    it('lists runs newest first and fails with ETL_RUN_NOT_FOUND for an unknown id', async () => {
      await log.start({ id: 'a', trigger: 'api', tickers: [], startedAt: 1 });
      await log.start({ id: 'b', trigger: 'api', tickers: [], startedAt: 2 });
      expect((await log.list()).map((r) => r.id)).toEqual(['b', 'a']);
      expect(await log.list(1)).toHaveLength(1);
      await expect(log.get('nope')).rejects.toMatchObject({ code: 'ETL_RUN_NOT_FOUND' });
    });

    it('shows the steps done so far while running, finds a run by its flow run, and never rewrites a finished run', async () => {
      await log.start({
        id: 'f',
        trigger: 'flow',
        tickers: ['AAPL'],
        startedAt: 1,
        flowRunId: 'fr-1',
      });
      await log.start({ id: 'g', trigger: 'api', tickers: [], startedAt: 2 });
      const step = { step: 'extract' as const, ms: 5, counts: { tickers: 1, failed: 0, bars: 64 } };
      await log.progress('f', { steps: [step], results: [] });
      expect(await log.get('f')).toMatchObject({
        status: 'running',
        flowRunId: 'fr-1',
        steps: [step],
      });
      expect((await log.get('g')).flowRunId).toBeNull();
      expect((await log.list(10, 'fr-1')).map((r) => r.id)).toEqual(['f']);
      await log.finish('f', {
        status: 'completed',
        endedAt: 3,
        steps: [],
        results: [],
        quality: [],
      });
      await log.progress('f', { steps: [step], results: [] });
      expect((await log.get('f')).steps).toEqual([]);
    });
  });
}
