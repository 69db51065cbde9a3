import { describe, expect, it } from 'vitest';
import { InvalidCsvError } from '../errors/index.js';
import { decodeCsvBytes, parseBarsCsv } from './csv.js';
import { reconcileRows } from './reconcile.js';
import type { Bar } from './bar.js';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';
const today = '2024-06-30';

describe('parseBarsCsv', () => {
  it('reads Yahoo download rows and sorts them by date', () => {
    const csv = [HEADER, '2024-01-03,10,11,9,10.5,10.4,100', '2024-01-02,9,10,8,9.5,9.4,200'].join('\n');
    const p = parseBarsCsv(csv, { today });
    expect(p.rows.map((r) => r.bar.date)).toEqual(['2024-01-02', '2024-01-03']);
    expect(p.rows[0]?.line).toBe(3);
    expect(p.rows[0]?.bar).toEqual({ date: '2024-01-02', open: 9, high: 10, low: 8, close: 9.5, adjClose: 9.4, volume: 200 });
  });

  it('accepts the lower-case header of the bundled sample', () => {
    const p = parseBarsCsv('date,open,high,low,close,adjclose,volume\n2024-01-02,9,10,8,9.5,9.4,200\n', { today });
    expect(p.rows).toHaveLength(1);
  });

  it('quarantines each bad row with its line number and reason', () => {
    const csv = [
      HEADER,
      '2024-01-02,null,null,null,null,null,null',
      '2024-01-03,abc,11,9,10,10,1',
      '2024-01-04,-1,11,9,10,10,1',
      '2024-01-05,10,8,9,8.5,8.5,1',
      '2024-01-08,10,11,9,12,12,1',
      '2099-01-01,10,11,9,10,10,1',
      '2024-02-30,10,11,9,10,10,1',
      '2024-01-09,10,11,9,10',
      '2024-01-10,10,11,9,10,10,1',
    ].join('\n');
    const p = parseBarsCsv(csv, { today });
    expect(p.dataRows).toBe(9);
    expect(p.rows.map((r) => r.line)).toEqual([10]);
    expect(p.quarantined.map((q) => [q.line, q.reason.split(' ').slice(0, 2).join(' ')])).toEqual([
      [2, 'missing value'],
      [3, 'unparseable number'],
      [4, 'non-positive price'],
      [5, 'high 8'],
      [6, 'close 12'],
      [7, 'future date'],
      [8, 'unparseable date'],
      [9, 'expected 7'],
    ]);
  });

  it('refuses a file with another header, naming the expected columns, and writes nothing', () => {
    expect(() => parseBarsCsv('time,price\n1,2\n', { today })).toThrow(InvalidCsvError);
    expect(() => parseBarsCsv('time,price\n1,2\n', { today })).toThrow(/Date,Open,High,Low,Close,Adj Close,Volume/);
  });

  it('refuses empty files and files with a header only', () => {
    expect(() => parseBarsCsv('', { today })).toThrow(/empty/);
    expect(() => parseBarsCsv(`${HEADER}\n`, { today })).toThrow(/no data rows/);
  });

  it('refuses binary and non-UTF-8 bytes as a whole', () => {
    expect(() => decodeCsvBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]))).toThrow(/not UTF-8/);
    expect(() => decodeCsvBytes(new TextEncoder().encode(`${HEADER}\n\u0000\u0000`))).toThrow(/binary/);
  });
});

describe('reconcileRows', () => {
  const bar = (date: string, close: number): Bar => ({ date, open: close, high: close, low: close, close, adjClose: close, volume: 1 });

  it('counts exact duplicates in the file and in the store, and quarantines conflicting dates', () => {
    const rows = [
      { line: 2, bar: bar('2024-01-02', 10), raw: `raw 2` },
      { line: 3, bar: bar('2024-01-02', 10), raw: `raw 3` },
      { line: 4, bar: bar('2024-01-03', 11), raw: `raw 4` },
      { line: 5, bar: bar('2024-01-03', 12), raw: `raw 5` },
      { line: 6, bar: bar('2024-01-04', 13), raw: `raw 6` },
      { line: 7, bar: bar('2024-01-05', 14), raw: `raw 7` },
    ];
    const stored = new Map([
      ['2024-01-04', bar('2024-01-04', 13)],
      ['2024-01-05', bar('2024-01-05', 99)],
    ]);
    const r = reconcileRows(rows, stored);
    expect(r.toInsert.map((b) => b.date)).toEqual(['2024-01-02']);
    expect(r.duplicates).toBe(2);
    expect(r.quarantined.map((q) => q.line)).toEqual([4, 5, 7]);
    expect(r.quarantined[0]?.reason).toMatch(/duplicate date 2024-01-03 with different values/);
    expect(r.quarantined[2]?.reason).toMatch(/already stored/);
    expect(r.toInsert.length + r.duplicates + r.quarantined.length).toBe(rows.length);
  });
});
