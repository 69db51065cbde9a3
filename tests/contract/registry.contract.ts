// Contract every Registry adapter passes: the built-in SQL registry and MLflow's. Sources are runs:/ URIs, since
// MLflow refuses a bare local path that no run contains.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Registry } from '../../src/core/index.js';

export function registryContract(name: string, make: () => Promise<Registry>): void {
  describe(`Registry contract: ${name}`, () => {
    let reg: Registry;
    beforeEach(async () => {
      reg = await make();
    });

    it('numbers versions from 1 per model and keeps their source and run', async () => {
      const v1 = await reg.createVersion({
        name: 'X.h1',
        source: 'runs:/a/model',
        runId: 'a',
        tags: { kind: 'ridge' },
      });
      const v2 = await reg.createVersion({ name: 'X.h1', source: 'runs:/b/model', runId: 'b' });
      const w1 = await reg.createVersion({ name: 'Y.h1', source: 'runs:/c/model', runId: 'c' });
      expect([v1.version, v2.version, w1.version]).toEqual([1, 2, 1]);
      expect(await reg.getVersion('X.h1', 1)).toMatchObject({
        source: 'runs:/a/model',
        runId: 'a',
        tags: { kind: 'ridge' },
      });
      expect((await reg.listVersions('X.h1')).map((v) => v.version)).toEqual([2, 1]);
    });

    it('moves an alias between versions and resolves it', async () => {
      await reg.createVersion({ name: 'X.h1', source: 'runs:/a/model', runId: 'a' });
      await reg.createVersion({ name: 'X.h1', source: 'runs:/b/model', runId: 'b' });
      expect(await reg.getVersionByAlias('X.h1', 'champion')).toBeNull();
      await reg.setAlias('X.h1', 'champion', 1);
      expect((await reg.getVersionByAlias('X.h1', 'champion'))?.version).toBe(1);
      await reg.setAlias('X.h1', 'champion', 2);
      expect((await reg.getVersionByAlias('X.h1', 'champion'))?.aliases).toEqual(['champion']);
      expect((await reg.listModels()).find((m) => m.name === 'X.h1')).toMatchObject({
        latestVersion: 2,
        aliases: { champion: 2 },
      });
      await reg.deleteAlias('X.h1', 'champion');
      expect(await reg.getVersionByAlias('X.h1', 'champion')).toBeNull();
    });

    it('refuses an alias on a version that does not exist', async () => {
      await reg.ensureModel('Z.h1');
      await expect(reg.setAlias('Z.h1', 'champion', 3)).rejects.toMatchObject({
        code: 'MODEL_NOT_FOUND',
      });
    });

    it('never hands out the same version number to concurrent registrations', async () => {
      const vs = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          reg.createVersion({ name: 'C.h1', source: `runs:/${i}/model`, runId: String(i) }),
        ),
      );
      expect(vs.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });
  });
}
