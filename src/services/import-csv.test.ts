import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshDb } from '../../tests/helpers.js';
import { FileArtifactStore } from '../stores/artifacts/index.js';
import { SqlAliasLog, SqlPriceStore, SqlRegistry, SqlTracker } from '../stores/sql/index.js';
import { InProcessBus } from '../stores/events/index.js';
import { normalizeSymbol, type BusEvent } from '../core/index.js';
import type { ServiceDeps } from './deps.js';
import { importCsv } from './import-csv.js';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';
const enc = (lines: string[]) => new TextEncoder().encode(lines.join('\n'));

describe('importCsv', () => {
  let deps: ServiceDeps;
  beforeEach(async () => {
    const db = await freshDb();
    deps = {
      prices: new SqlPriceStore(db),
      tracker: new SqlTracker(
        db,
        new FileArtifactStore(mkdtempSync(join(tmpdir(), 'stockops-imp-'))),
      ),
      registry: new SqlRegistry(db),
      aliasLog: new SqlAliasLog(db),
      now: () => new Date('2024-06-30T12:00:00Z'),
    };
  });

  const run = (lines: string[]) =>
    importCsv(deps, { ticker: normalizeSymbol('imp'), bytes: enc(lines), source: 'csv:test' });

  it('accounts for every data row, with a reason for each one it refuses', async () => {
    const lines = [
      HEADER,
      '2024-01-05,10,11,9,10.5,10.5,100',
      '2024-01-02,10,11,9,10,10,100',
      '2024-01-03,1O,11,9,10,10,100',
      '2024-01-04,0,11,9,10,10,100',
      '2024-01-08,-3,11,9,10,10,100',
      '2024-01-09,10,9,11,10,10,100',
      '2024-01-10,10,11,9,12,12,100',
      '2024-01-11,10,11,9,10,10,100',
      '2024-01-11,10,11,9,10.2,10.2,100',
      '2099-01-02,10,11,9,10,10,100',
      '2024-01-12,null,null,null,null,null,null',
      '2024-01-02,10,11,9,10,10,100',
      '',
    ];
    const r = await run(lines);
    expect(r.ticker).toBe('IMP');
    expect(r.imported).toBe(2);
    expect(r.duplicates).toBe(1);
    expect(r.quarantined.map((q) => [q.line, q.reason.split(' ').slice(0, 2).join(' ')])).toEqual([
      [4, 'unparseable number'],
      [5, 'non-positive price'],
      [6, 'non-positive price'],
      [7, 'high 9'],
      [8, 'close 12'],
      [9, 'duplicate date'],
      [10, 'duplicate date'],
      [11, 'future date'],
      [12, 'missing value'],
    ]);
    expect(r.imported + r.duplicates + r.quarantined.length).toBe(12);
    // Unsorted input is stored sorted, and every refused row is kept with its line and raw text.
    expect((await deps.prices.getBars('IMP')).map((b) => b.date)).toEqual([
      '2024-01-02',
      '2024-01-05',
    ]);
    const q = await deps.prices.listQuarantine('IMP');
    expect(q.map((x) => x.line)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(q[0]).toMatchObject({ raw: '2024-01-03,1O,11,9,10,10,100', source: 'csv:test' });
  });

  it('counts rows already stored by an earlier import as duplicates and changes nothing', async () => {
    await run([HEADER, '2024-01-02,10,11,9,10,10,100', '2024-01-03,10,11,9,10,10,100']);
    const again = await run([
      HEADER,
      '2024-01-03,10,11,9,10,10,100',
      '2024-01-02,10,11,9,10,10,100',
    ]);
    expect(again).toEqual({ ticker: 'IMP', imported: 0, duplicates: 2, quarantined: [] });
    const changed = await run([HEADER, '2024-01-03,10,11,9,10.5,10.5,100']);
    expect(changed.quarantined).toEqual([
      { line: 2, reason: 'date 2024-01-03 is already stored with different values' },
    ]);
    expect((await deps.prices.getRawBars('IMP')).map((b) => b.close)).toEqual([10, 10]);
  });

  it('refuses a file that is not the CSV as a whole and writes nothing', async () => {
    const bad: Uint8Array[] = [
      new TextEncoder().encode('Date;Open;High\n2024-01-02;1;2\n'),
      new Uint8Array(),
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]),
      new Uint8Array([0xff, 0xfe, ...new TextEncoder().encode('Date')].flatMap((b) => [b, 0])),
      new Uint8Array([
        ...new TextEncoder().encode(`${HEADER}\n2024-01-02,10,11,9,10,10,100,caf`),
        0xe9,
      ]),
    ];
    for (const bytes of bad) {
      await expect(
        importCsv(deps, { ticker: normalizeSymbol('IMP'), bytes, source: 'x' }),
      ).rejects.toMatchObject({
        code: 'INVALID_CSV',
        message: expect.stringContaining('Date,Open,High,Low,Close,Adj Close,Volume') as unknown,
      });
    }
    expect(await deps.prices.getRawSummary('IMP')).toBeNull();
    expect(await deps.prices.listQuarantine('IMP')).toEqual([]);
  });

  it('keeps the adjusted close continuous across a split in the input (Yahoo CSV carries it in Adj Close)', async () => {
    // A raw 4:1 split: Close drops from 500 to 125; Adj Close is already on the post-split basis.
    const r = await run([
      HEADER,
      '2020-08-27,500,505,495,500,125,100',
      '2020-08-28,500,502,498,499.2,124.8,100',
      '2020-08-31,127,131,126,129,129,400',
    ]);
    expect(r.imported).toBe(3);
    const adj = (await deps.prices.getBars('IMP')).map((b) => b.adjClose);
    expect(Math.abs(Math.log((adj[2] ?? 0) / (adj[1] ?? 1)))).toBeLessThan(0.05);
  });

  it('announces a load that stored new bars on the bus, with the last date of the cleaned series', async () => {
    const events = new InProcessBus({ instanceId: 'import-test' });
    const seen: BusEvent[] = [];
    events.subscribe(['data'], (e) => seen.push(e));
    deps = { ...deps, events };
    await run([HEADER, '2024-01-02,10,11,9,10,10,100', '2024-01-03,10,11,9,10.5,10.5,100']);
    await run([HEADER, '2024-01-02,10,11,9,10,10,100']);
    await events.flush();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      type: 'data.loaded',
      key: 'IMP',
      data: { ticker: 'IMP', origin: 'import', newBars: 2, lastDate: '2024-01-03' },
    });
    await events.close();
  });
});
