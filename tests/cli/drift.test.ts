// The real `stockops drift` binary on CSV files: the scipy reference's numbers on files pandas read the same way, the JSON contract, the table, and refusals.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { DatasetDriftSchema, type DatasetDriftResult } from '../../src/api/index.js';
import { cli, ROOT } from './run.js';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'drift');
const REF = join(FIXTURES, 'cli-ref.csv');
const CUR = join(FIXTURES, 'cli-cur.csv');
const env = { STOCKOPS_HOME: mkdtempSync(join(tmpdir(), 'stockops-drift-')) };

/** Every --json command prints exactly one JSON object. */
const json = (s: string): unknown => {
  const lines = s.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '');
};

const expected = JSON.parse(readFileSync(join(FIXTURES, 'cli-expected.json'), 'utf8')) as {
  args: string[];
} & DatasetDriftResult;

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'stockops-drift-csv-')), 'data.csv');
  writeFileSync(path, content);
  return path;
}

describe('stockops drift', () => {
  it('prints the scipy reference result for files pandas.read_csv types the same way', async () => {
    const res = await cli(['drift', REF, CUR, ...expected.args, '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    const out = json(res.stdout);
    expect(
      Value.Check(DatasetDriftSchema, out),
      JSON.stringify([...Value.Errors(DatasetDriftSchema, out)]),
    ).toBe(true);
    const got = out as DatasetDriftResult;
    expect(got.dataset).toEqual(expected.dataset);
    expect(Object.keys(got.columns)).toEqual(Object.keys(expected.columns));
    for (const [name, e] of Object.entries(expected.columns)) {
      const g = got.columns[name];
      expect(g && { ...g, statistic: 0, pValue: 0, psi: { ...g.psi, statistic: 0 } }, name).toEqual(
        {
          ...e,
          statistic: 0,
          pValue: 0,
          psi: { ...e.psi, statistic: 0 },
        },
      );
      for (const [a, b] of [
        [g?.statistic, e.statistic],
        [g?.pValue, e.pValue],
        [g?.psi?.statistic, e.psi?.statistic],
      ]) {
        if (typeof a === 'number' && typeof b === 'number') {
          expect(Math.abs(a - b), `${name}: ${a} vs ${b}`).toBeLessThanOrEqual(
            1e-9 * Math.abs(b) + 1e-12,
          );
        } else {
          expect(a, name).toBe(b);
        }
      }
    }
    // A category new in the current file: an infinite chi-square, written as a string.
    expect(got.columns.sector?.statistic).toBe('Infinity');
    // One constant on both sides: the Z test without a statistic.
    expect(got.columns.const?.statistic).toBeNull();
  });

  it('prints a table with one row per column and the data set verdict without --json', async () => {
    const res = await cli(['drift', REF, CUR, '--psi'], env);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^column\s+kind\s+test\s+statistic\s+p-value\s+threshold\s+drift\s+ref\s+cur\s+psi\s+psi drift$/,
    );
    expect(lines.filter((l) => /^(price|volume|sector|up|flag|const)\s/.test(l))).toHaveLength(6);
    expect(lines.at(-1)).toMatch(/^data set: (DRIFT|no drift): \d of 6 columns drifted/);
  });

  it('refuses a current file without a reference column, naming it, with a non-zero exit', async () => {
    const cur = file('price,volume\n1,2\n');
    const res = await cli(['drift', REF, cur, '--json'], env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('has no column "sector"');
    expect((json(res.stdout) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
  });

  it('refuses --cat with a column the reference lacks, and a malformed CSV', async () => {
    const cat = await cli(['drift', REF, CUR, '--cat', 'nope'], env);
    expect(cat.code).not.toBe(0);
    expect(cat.stderr).toContain('no column "nope"');
    const bad = file('a,b\n1,"2\n');
    const res = await cli(['drift', bad, bad, '--json'], env);
    expect(res.code).not.toBe(0);
    expect((json(res.stdout) as { error: { code: string } }).error.code).toBe('INVALID_CSV');
  });

  it('explains itself in --help', async () => {
    const res = await cli(['drift', '--help'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Usage: stockops drift [options] <ref> <cur>');
    expect(res.stdout).toContain('--cat <columns>');
  });
});
