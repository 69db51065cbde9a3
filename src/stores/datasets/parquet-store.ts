// DatasetStore as Parquet files under the artifact store, named by the sha256 of their bytes (content-addressed).
import { createHash } from 'node:crypto';
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ArtifactStore, Bar, DatasetRef, DatasetStore } from '../../core/index.js';

const DAY_MS = 86_400_000;

/** Column layout of every snapshot; a change here changes every digest, so it is versioned in the file metadata. */
const SCHEMA = [
  { name: 'root', num_children: 8 },
  { name: 'symbol', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'date', type: 'INT32', converted_type: 'DATE', repetition_type: 'REQUIRED' },
  { name: 'open', type: 'DOUBLE', repetition_type: 'REQUIRED' },
  { name: 'high', type: 'DOUBLE', repetition_type: 'REQUIRED' },
  { name: 'low', type: 'DOUBLE', repetition_type: 'REQUIRED' },
  { name: 'close', type: 'DOUBLE', repetition_type: 'REQUIRED' },
  { name: 'adj_close', type: 'DOUBLE', repetition_type: 'REQUIRED' },
  { name: 'volume', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
] as const;

/**
 * Encodes one ticker's bars. Deterministic: no timestamps or host details go into the file, so the same bars
 * always give the same bytes, and so the same digest.
 */
export function encodeBarsParquet(symbol: string, bars: readonly Bar[]): Uint8Array {
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'symbol', data: bars.map(() => symbol) },
      { name: 'date', data: bars.map((b) => new Date(`${b.date}T00:00:00Z`)) },
      { name: 'open', data: Float64Array.from(bars, (b) => b.open) },
      { name: 'high', data: Float64Array.from(bars, (b) => b.high) },
      { name: 'low', data: Float64Array.from(bars, (b) => b.low) },
      { name: 'close', data: Float64Array.from(bars, (b) => b.close) },
      { name: 'adj_close', data: Float64Array.from(bars, (b) => b.adjClose) },
      { name: 'volume', data: bars.map((b) => b.volume) },
    ],
    schema: SCHEMA.map((s) => ({ ...s })),
    createdBy: 'stockops',
    kvMetadata: [{ key: 'stockops.schema', value: 'daily-bars/1' }],
  });
  return new Uint8Array(buf);
}

export async function decodeBarsParquet(
  bytes: Uint8Array,
): Promise<{ symbol: string; bars: Bar[] }> {
  const file = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file })) as {
    symbol: string;
    date: Date | number | string;
    open: number;
    high: number;
    low: number;
    close: number;
    adj_close: number;
    volume: number | null;
  }[];
  const iso = (d: Date | number | string) =>
    d instanceof Date
      ? d.toISOString().slice(0, 10)
      : typeof d === 'number'
        ? new Date(d * DAY_MS).toISOString().slice(0, 10)
        : d;
  return {
    symbol: rows[0]?.symbol ?? '',
    bars: rows.map((r) => ({
      date: iso(r.date),
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      adjClose: r.adj_close,
      volume: r.volume,
    })),
  };
}

const keyOf = (digest: string) => `datasets/${digest}.parquet`;

export class ParquetDatasetStore implements DatasetStore {
  constructor(private readonly artifacts: ArtifactStore) {}

  async snapshot(symbol: string, bars: readonly Bar[]): Promise<DatasetRef> {
    const bytes = encodeBarsParquet(symbol, bars);
    const digest = createHash('sha256').update(bytes).digest('hex');
    const key = keyOf(digest);
    // Same digest, same bytes: an existing file is the snapshot already.
    if (!(await this.artifacts.exists(key))) {
      await this.artifacts.put(key, bytes);
    }
    return {
      name: `${symbol}.daily.clean`,
      symbol,
      digest,
      uri: `${this.artifacts.baseUri}/${key}`,
      format: 'parquet',
      rows: bars.length,
      from: bars[0]?.date ?? '',
      to: bars[bars.length - 1]?.date ?? '',
      bytes: bytes.byteLength,
    };
  }

  async read(digest: string): Promise<{ symbol: string; bars: Bar[] }> {
    return decodeBarsParquet(await this.artifacts.get(keyOf(digest.replace(/[^0-9a-f]/g, ''))));
  }
}
