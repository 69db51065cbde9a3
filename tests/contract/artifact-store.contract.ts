// Contract every ArtifactStore adapter passes (file:// now; s3:// joins in its issue).
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../src/core/index.js';

export function artifactStoreContract(name: string, make: () => Promise<ArtifactStore>): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    let store: ArtifactStore;
    beforeEach(async () => {
      store = await make();
    });

    it('puts, gets, lists and overwrites blobs by key', async () => {
      await store.put('runs/1/model.json', new TextEncoder().encode('a'));
      await store.put('runs/1/sub/report.json', new Uint8Array([0, 1, 2, 255]));
      await store.put('runs/2/model.json', new TextEncoder().encode('b'));
      expect(Array.from(await store.get('runs/1/sub/report.json'))).toEqual([0, 1, 2, 255]);
      expect(await store.list('runs/1')).toEqual(['runs/1/model.json', 'runs/1/sub/report.json']);
      await store.put('runs/1/model.json', new TextEncoder().encode('c'));
      expect(new TextDecoder().decode(await store.get('runs/1/model.json'))).toBe('c');
      expect(await store.exists('runs/2/model.json')).toBe(true);
      expect(await store.exists('runs/3/model.json')).toBe(false);
    });

    it('fails with ARTIFACT_NOT_FOUND for a missing key', async () => {
      await expect(store.get('nope/x')).rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND' });
    });

    it('refuses keys that escape the store', async () => {
      await expect(store.put('../outside', new Uint8Array(1))).rejects.toThrow(/escapes/);
    });
  });
}
