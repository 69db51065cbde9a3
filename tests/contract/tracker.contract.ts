// Contract every Tracker adapter passes: the built-in SQL tracker and MLflow's.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Tracker } from '../../src/core/index.js';

export function trackerContract(name: string, make: () => Promise<Tracker>): void {
  describe(`Tracker contract: ${name}`, () => {
    let tracker: Tracker;
    beforeEach(async () => {
      tracker = await make();
    });

    it('gets or creates an experiment by name, once', async () => {
      const a = await tracker.getOrCreateExperiment('AAPL.h1');
      const b = await tracker.getOrCreateExperiment('AAPL.h1');
      expect(a.id).toBe(b.id);
    });

    it('records params, metrics by step, tags, artifacts and status', async () => {
      const exp = await tracker.getOrCreateExperiment('T.h1');
      const run = await tracker.createRun({
        experimentId: exp.id,
        name: 'ridge-h1',
        tags: { 'stockops.ticker': 'T' },
      });
      expect(run.status).toBe('RUNNING');
      await tracker.logParams(run.id, { model: 'ridge', horizon: '1' });
      await tracker.logMetrics(run.id, [
        { key: 'fold_rmse', value: 0.02, step: 0, timestamp: 1 },
        { key: 'fold_rmse', value: 0.01, step: 1, timestamp: 2 },
      ]);
      await tracker.setTags(run.id, { note: 'x' });
      await tracker.logArtifact(run.id, 'model/model.json', new TextEncoder().encode('{"a":1}'));
      await tracker.endRun(run.id, 'FINISHED');
      const got = await tracker.getRun(run.id);
      expect(got).toMatchObject({
        status: 'FINISHED',
        experimentName: 'T.h1',
        params: { model: 'ridge', horizon: '1' },
        metrics: { fold_rmse: 0.01 },
        tags: { 'stockops.ticker': 'T', note: 'x' },
      });
      expect(got.endTime).not.toBeNull();
      expect(
        (await tracker.getMetricHistory(run.id, 'fold_rmse')).map((m) => [m.step, m.value]),
      ).toEqual([
        [0, 0.02],
        [1, 0.01],
      ]);
      expect(new TextDecoder().decode(await tracker.getArtifact(run.id, 'model/model.json'))).toBe(
        '{"a":1}',
      );
    });

    it('records the training data set as a run input', async () => {
      const exp = await tracker.getOrCreateExperiment('D.h1');
      const run = await tracker.createRun({ experimentId: exp.id, name: 'r' });
      const dataset = {
        name: 'D daily bars',
        digest: 'ab'.repeat(32),
        source: 'stockops://prices/D',
        from: '2020-01-02',
        to: '2020-12-31',
        rows: 253,
      };
      await tracker.logDataset(run.id, dataset);
      expect((await tracker.getRun(run.id)).datasets).toEqual([dataset]);
    });

    it('keeps params write-once', async () => {
      const exp = await tracker.getOrCreateExperiment('T.h1');
      const run = await tracker.createRun({ experimentId: exp.id, name: 'r' });
      await tracker.logParams(run.id, { alpha: '1' });
      await tracker.logParams(run.id, { alpha: '1' });
      await expect(tracker.logParams(run.id, { alpha: '2' })).rejects.toThrow(/write-once/);
    });

    it('refuses artifact paths that escape the run', async () => {
      const exp = await tracker.getOrCreateExperiment('T.h1');
      const run = await tracker.createRun({ experimentId: exp.id, name: 'r' });
      await expect(
        tracker.logArtifact(run.id, '../../etc/passwd', new Uint8Array(1)),
      ).rejects.toThrow(/relative/);
    });

    it('searches runs by experiment and tags, newest first', async () => {
      const e1 = await tracker.getOrCreateExperiment('A.h1');
      const e2 = await tracker.getOrCreateExperiment('B.h1');
      const r1 = await tracker.createRun({
        experimentId: e1.id,
        name: '1',
        tags: { 'stockops.ticker': 'A' },
      });
      await new Promise((r) => setTimeout(r, 5));
      const r2 = await tracker.createRun({
        experimentId: e1.id,
        name: '2',
        tags: { 'stockops.ticker': 'A' },
      });
      await tracker.createRun({ experimentId: e2.id, name: '3', tags: { 'stockops.ticker': 'B' } });
      expect(
        (await tracker.searchRuns({ tags: { 'stockops.ticker': 'A' } })).map((r) => r.id),
      ).toEqual([r2.id, r1.id]);
      expect(await tracker.searchRuns({ experimentNames: ['B.h1'] })).toHaveLength(1);
      expect(await tracker.searchRuns({})).toHaveLength(3);
    });

    it('ends a run left RUNNING as KILLED, found by experiment and tag (a crashed attempt clean-up)', async () => {
      const e = await tracker.getOrCreateExperiment('K.h1');
      const run = await tracker.createRun({
        experimentId: e.id,
        name: 'abandoned',
        tags: { 'stockops.flow_run': 'flow-1' },
      });
      const [found] = await tracker.searchRuns({
        experimentNames: ['K.h1'],
        tags: { 'stockops.flow_run': 'flow-1' },
      });
      expect(found).toMatchObject({ id: run.id, status: 'RUNNING', endTime: null });
      await tracker.endRun(run.id, 'KILLED');
      const killed = await tracker.getRun(run.id);
      expect(killed.status).toBe('KILLED');
      expect(killed.endTime).not.toBeNull();
    });

    it('fails with RUN_NOT_FOUND for an unknown run', async () => {
      await expect(tracker.getRun('0'.repeat(32))).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    });
  });
}
