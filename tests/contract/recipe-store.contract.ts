// Contract every RecipeStore adapter passes (SQL on PGlite and PostgreSQL).
import { beforeEach, describe, expect, it } from 'vitest';
import type { RecipeInput, RecipeStore } from '../../src/core/index.js';

const input = (name: string, alphas: number[] = [1, 10]): RecipeInput => ({
  name,
  description: 'ridge on the alpha features, one year of tests per fold',
  spec: {
    model: { kind: 'ridge', ridge: { alphas } },
    featureSet: 'alpha@1',
    horizons: [1, 5],
    window: { type: 'sliding', start: '2005-01-03' },
    walkForward: { initialTrain: 750, step: 250, purge: null, embargo: 2 },
  },
});

export function recipeStoreContract(name: string, make: () => Promise<RecipeStore>): void {
  describe(`RecipeStore contract: ${name}`, () => {
    let store: RecipeStore;
    beforeEach(async () => {
      store = await make();
    });

    it('stores version 1 and gives back exactly what it was given', async () => {
      const created = await store.create('ridge-daily', input('Ridge, daily'));
      expect(created).toMatchObject({ id: 'ridge-daily', version: 1, ...input('Ridge, daily') });
      expect(created.createdAt).toBeGreaterThan(0);
      expect(await store.get('ridge-daily')).toEqual(created);
      expect(await store.get('ridge-daily', 1)).toEqual(created);
      expect(await store.get('nope')).toBeNull();
    });

    it('refuses a second recipe with the same id', async () => {
      await store.create('ridge-daily', input('one'));
      await expect(store.create('ridge-daily', input('two'))).rejects.toMatchObject({
        code: 'CONFLICT',
      });
    });

    it('adds versions without rewriting earlier ones, and lists the latest of each', async () => {
      await store.create('ridge-daily', input('v1', [1]));
      const v2 = await store.addVersion('ridge-daily', input('v2', [1, 100]));
      await store.create('gbdt-weekly', input('gbdt'));
      expect(v2.version).toBe(2);
      expect((await store.get('ridge-daily', 1))?.spec.model.ridge?.alphas).toEqual([1]);
      expect((await store.get('ridge-daily'))?.name).toBe('v2');
      expect(await store.versions('ridge-daily')).toEqual([1, 2]);
      expect((await store.list()).map((r) => [r.id, r.version])).toEqual([
        ['gbdt-weekly', 1],
        ['ridge-daily', 2],
      ]);
      await expect(store.addVersion('nope', input('x'))).rejects.toMatchObject({
        code: 'RECIPE_NOT_FOUND',
      });
    });

    it('numbers versions once each when two writers add at the same time', async () => {
      await store.create('busy', input('v1'));
      const added = await Promise.all(
        [1, 2, 3].map((i) => store.addVersion('busy', input(`w${i}`))),
      );
      expect(added.map((r) => r.version).sort()).toEqual([2, 3, 4]);
    });

    it('hides a deleted recipe but still resolves the versions runs name, and never reuses its id', async () => {
      await store.create('gone', input('v1'));
      expect(await store.delete('gone')).toBe(true);
      expect(await store.delete('gone')).toBe(false);
      expect(await store.get('gone')).toBeNull();
      expect(await store.list()).toEqual([]);
      expect(await store.versions('gone')).toEqual([]);
      expect((await store.get('gone', 1))?.name).toBe('v1');
      await expect(store.create('gone', input('again'))).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(store.addVersion('gone', input('v2'))).rejects.toMatchObject({
        code: 'RECIPE_NOT_FOUND',
      });
    });
  });
}
