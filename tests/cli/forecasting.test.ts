// The real `stockops` binary: train every model kind with intervals, and compare models with `evaluate`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomWalkBars } from '../../src/core/testing/index.js';
import { cli } from './run.js';

function csvFile(n: number, seed: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'stockops-csv-'));
  const rows = randomWalkBars(n, seed).map(
    (b) => `${b.date},${b.open},${b.high},${b.low},${b.close},${b.adjClose},${b.volume}`,
  );
  const file = join(dir, 'prices.csv');
  writeFileSync(file, ['Date,Open,High,Low,Close,Adj Close,Volume', ...rows].join('\n'));
  return file;
}

const json = (s: string): unknown => {
  const lines = s.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '');
};

describe('stockops train and evaluate', () => {
  const env = { STOCKOPS_HOME: mkdtempSync(join(tmpdir(), 'stockops-home-')) };

  it('trains a GBDT at horizon 5 and prints the metrics with interval coverage', async () => {
    const imp = await cli(['import', csvFile(700, 41), '--ticker', 'FC', '--json'], env);
    expect(imp.code, imp.stderr).toBe(0);
    const res = await cli(
      ['train', '--ticker', 'FC', '--model', 'gbdt', '--horizon', '5', '--json'],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    const out = json(res.stdout) as {
      runId: string;
      modelVersion: number;
      metrics: Record<string, unknown> & { coverage: Record<string, number> };
    };
    // Version 1 is naive, registered first as the floor.
    expect(out.modelVersion).toBe(2);
    for (const k of [
      'rmse',
      'rmseNaive',
      'skill',
      'directionAccuracy',
      'upRate',
      'dmPValue',
      'folds',
    ]) {
      expect(typeof out.metrics[k], k).toBe('number');
    }
    expect(Object.keys(out.metrics.coverage)).toEqual(['80', '95']);
    expect(out.metrics.coverage['95']).toBeGreaterThan(out.metrics.coverage['80'] ?? 1);
  });

  it('compares several models on one walk-forward, as JSON and as a table', async () => {
    const res = await cli(
      ['evaluate', '--ticker', 'FC', '--models', 'naive,drift,ridge', '--json'],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    const out = json(res.stdout) as {
      models: {
        model: string;
        skill: number;
        folds: number;
        intervalMethod: string;
        coverage: Record<string, number>;
        coverageByVolatility: Record<string, Record<string, number>>;
        intervalScore: Record<string, number>;
      }[];
      walkForward: { purge: number };
    };
    expect(out.models.map((m) => m.model)).toEqual(['naive', 'drift', 'ridge']);
    expect(out.models.map((m) => m.intervalMethod)).toEqual([
      'volatility',
      'volatility',
      'volatility',
    ]);
    expect(Object.keys(out.models[0]?.coverageByVolatility ?? {})).toEqual(['low', 'mid', 'high']);
    expect(Object.keys(out.models[0]?.intervalScore ?? {})).toEqual(['80', '95']);
    expect(out.models[0]?.skill).toBe(0);
    expect(new Set(out.models.map((m) => m.folds)).size).toBe(1);
    expect(out.walkForward.purge).toBe(1);
    const table = await cli(
      [
        'evaluate',
        '--ticker',
        'FC',
        '--models',
        'naive,ridge',
        '--intervals',
        'volatility,absolute',
      ],
      env,
    );
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/model\s+intervals\s+RMSE\s+naive\s+skill/);
    // One row per model and interval method, from the same forecasts.
    expect(table.stdout).toMatch(/\nridge\s+volatility\s/);
    expect(table.stdout).toMatch(/\nridge\s+absolute\s/);
    expect(table.stdout).toMatch(/low-vol\s+mid-vol\s+high-vol\s+width80\/95\s+score80\/95/);
    const badMethod = await cli(['evaluate', '--ticker', 'FC', '--intervals', 'gaussian'], env);
    expect(badMethod.code).not.toBe(0);
    expect(badMethod.stderr).toContain('unknown interval method "gaussian"');
    const bad = await cli(['evaluate', '--ticker', 'FC', '--models', 'lstm'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('unknown model "lstm"');
  });
});
