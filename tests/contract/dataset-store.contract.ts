// Contract every DatasetStore adapter passes: content-addressed snapshots that read back to the same bars.
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactStore, Bar, DatasetStore } from '../../src/core/index.js';

const bars: Bar[] = [
  { date: '2024-01-02', open: 10, high: 11, low: 9.5, close: 10.5, adjClose: 10.25, volume: 1200 },
  {
    date: '2024-01-03',
    open: 10.5,
    high: 10.75,
    low: 10,
    close: 10.125,
    adjClose: 10.0,
    volume: null,
  },
];

export function datasetStoreContract(
  name: string,
  make: () => Promise<{ datasets: DatasetStore; artifacts: ArtifactStore }>,
): void {
  describe(`DatasetStore contract: ${name}`, () => {
    let store: { datasets: DatasetStore; artifacts: ArtifactStore };
    beforeEach(async () => {
      store = await make();
    });

    it('names a snapshot by the sha256 of its bytes and reads it back with hyparquet', async () => {
      const ref = await store.datasets.snapshot('2330.TW', bars);
      expect(ref).toMatchObject({
        symbol: '2330.TW',
        format: 'parquet',
        rows: 2,
        from: '2024-01-02',
        to: '2024-01-03',
      });
      expect(ref.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(ref.uri.endsWith(`datasets/${ref.digest}.parquet`)).toBe(true);
      const bytes = await store.artifacts.get(`datasets/${ref.digest}.parquet`);
      const { createHash } = await import('node:crypto');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(ref.digest);
      const file = bytes.buffer.slice(
        bytes.byteOffset,
        bytes.byteOffset + bytes.byteLength,
      ) as ArrayBuffer;
      const rows = await parquetReadObjects({ file });
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatchObject({
        symbol: '2330.TW',
        close: 10.125,
        adj_close: 10,
        volume: null,
      });
      expect(parquetMetadata(file).schema.map((s) => s.name)).toEqual([
        'root',
        'symbol',
        'date',
        'open',
        'high',
        'low',
        'close',
        'adj_close',
        'volume',
      ]);
      expect(await store.datasets.read(ref.digest)).toEqual({ symbol: '2330.TW', bars });
    });

    it('gives the same bars the same file, and different bars another', async () => {
      const a = await store.datasets.snapshot('X', bars);
      const b = await store.datasets.snapshot(
        'X',
        bars.map((x) => ({ ...x })),
      );
      const c = await store.datasets.snapshot('X', bars.slice(0, 1));
      expect(b.digest).toBe(a.digest);
      expect(c.digest).not.toBe(a.digest);
      expect(await store.artifacts.list('datasets')).toHaveLength(2);
    });
  });
}
