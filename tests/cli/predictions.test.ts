// The real `stockops` binary on an embedded database: every prediction served is in the forecast log that `stockops predictions` lists.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PredictionsPage } from '../../src/api/index.js';
import { randomWalkBars } from '../../src/core/testing/index.js';
import { cli } from './run.js';

describe('stockops predictions', () => {
  it('lists the forecasts the CLI served, once each with their serve count, as JSON and as a table', async () => {
    const env = { STOCKOPS_HOME: mkdtempSync(join(tmpdir(), 'stockops-home-')) };
    const dir = mkdtempSync(join(tmpdir(), 'stockops-csv-'));
    const file = join(dir, 'prices.csv');
    writeFileSync(
      file,
      [
        'Date,Open,High,Low,Close,Adj Close,Volume',
        ...randomWalkBars(400, 5).map(
          (b) => `${b.date},${b.open},${b.high},${b.low},${b.close},${b.adjClose},${b.volume}`,
        ),
      ].join('\n'),
    );
    expect((await cli(['import', file, '--ticker', 'PL', '--json'], env)).code).toBe(0);
    const trained = await cli(['train', '--ticker', 'PL', '--model', 'naive', '--json'], env);
    expect(trained.code, trained.stderr).toBe(0);
    for (let i = 0; i < 2; i++) {
      const p = await cli(['predict', '--ticker', 'PL', '--json'], env);
      expect(p.code, p.stderr).toBe(0);
    }
    const listed = await cli(['predictions', '--ticker', 'PL', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    const page = JSON.parse(listed.stdout) as PredictionsPage;
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      ticker: 'PL',
      horizon: 1,
      serveCount: 2,
      model: { name: 'PL.h1', kind: 'naive' },
      actual: null,
    });
    expect(page.nextCursor).toBeNull();
    const table = await cli(['predictions', '--ticker', 'PL'], env);
    expect(table.stdout).toMatch(/PL\s+h1\s+.*PL\.h1 v1 naive\s+served 2x\s+\(pending\)/);
  });
});
