import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/index.js';
import { BinaryCopyWriter, pgDate, pgTimestamptz } from './copy-binary.js';

describe('pgDate', () => {
  it('counts days from 2000-01-01, as PostgreSQL stores dates', () => {
    expect(pgDate('2000-01-01')).toBe(0);
    expect(pgDate('1999-12-31')).toBe(-1);
    expect(pgDate('2000-03-01')).toBe(60);
    expect(pgDate('2024-02-29')).toBe((Date.UTC(2024, 1, 29) - Date.UTC(2000, 0, 1)) / 86_400_000);
    expect(pgDate('1900-03-01')).toBe((Date.UTC(1900, 2, 1) - Date.UTC(2000, 0, 1)) / 86_400_000);
  });

  it('refuses what the server would refuse as a date instead of storing a wrong day', () => {
    for (const bad of ['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10']) {
      expect(() => pgDate(bad)).toThrow(InvalidInputError);
    }
    for (const bad of [
      '2024-1-01',
      '2024/01/01',
      '2024-01-01T00:00',
      ' 2024-01-01',
      '0000-01-01',
      '',
    ]) {
      expect(() => pgDate(bad)).toThrow(/is not a YYYY-MM-DD date/);
    }
  });
});

describe('pgTimestamptz', () => {
  it('counts microseconds from 2000-01-01 UTC and refuses what is not a timestamp', () => {
    expect(pgTimestamptz('2000-01-01T00:00:00.001Z')).toBe(1000n);
    expect(pgTimestamptz('1999-12-31T23:59:59.000Z')).toBe(-1_000_000n);
    expect(() => pgTimestamptz('yesterday')).toThrow(InvalidInputError);
  });
});

describe('BinaryCopyWriter', () => {
  it('writes the header, length-prefixed fields, -1 for NULL and the end marker', () => {
    const w = new BinaryCopyWriter(1, 1);
    const bytes = w.row(3).text(new TextEncoder().encode('AB')).float8(1.5).float8(null).finish();
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex).toBe(
      [
        '5047434f50590aff0d0a00', // signature
        '00000000', // flags
        '00000000', // header extension length
        '0003', // fields in the row
        '00000002' + '4142', // 'AB'
        '00000008' + '3ff8000000000000', // 1.5, big-endian
        'ffffffff', // NULL
        'ffff', // end of data
      ].join(''),
    );
  });
});
