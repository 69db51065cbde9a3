// The real `stockops` binary: import, train and predict, standalone and routed through a running server.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomWalkBars } from '../../src/core/testing/index.js';
import { cli, startServerProcess, waitFor, type RunningServer } from './run.js';

function csvFile(n: number, seed: number, extra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'stockops-csv-'));
  const rows = randomWalkBars(n, seed).map(
    (b) => `${b.date},${b.open},${b.high},${b.low},${b.close},${b.adjClose},${b.volume}`,
  );
  const file = join(dir, 'prices.csv');
  writeFileSync(file, ['Date,Open,High,Low,Close,Adj Close,Volume', ...rows, ...extra].join('\n'));
  return file;
}

const home = () => ({ STOCKOPS_HOME: mkdtempSync(join(tmpdir(), 'stockops-home-')) });
// Every --json command prints exactly one JSON object on stdout.
const json = (s: string): unknown => {
  const lines = s.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '');
};

describe('stockops CLI without a server', () => {
  const env = home();

  it('imports a CSV for a new ticker, trains it beside naive and predicts with the champion', async () => {
    const file = csvFile(600, 21, ['2015-01-01,1,0.5,0.9,1,1,1']);
    const imp = await cli(['import', file, '--ticker', 'new', '--json'], env);
    expect(imp.code, imp.stderr).toBe(0);
    expect(json(imp.stdout)).toEqual({
      ticker: 'NEW',
      imported: 600,
      duplicates: 0,
      quarantined: [{ line: 602, reason: 'high 0.5 is below low 0.9' }],
    });

    const train = await cli(['train', '--ticker', 'NEW', '--json'], env);
    expect(train.code, train.stderr).toBe(0);
    const t = json(train.stdout) as {
      runId: string;
      modelVersion: number;
      promoted: boolean;
      metrics: Record<string, number>;
    };
    // Version 1 is naive, registered first as the floor; ridge is version 2.
    expect(t.modelVersion).toBe(2);
    expect(t.runId).toMatch(/^[0-9a-f]{32}$/);
    for (const k of ['rmse', 'rmseNaive', 'skill', 'directionAccuracy', 'upRate', 'folds']) {
      expect(typeof t.metrics[k]).toBe('number');
    }
    expect(t.metrics.folds).toBeGreaterThan(0);

    const pred = await cli(['predict', '--ticker', 'NEW', '--json'], env);
    expect(pred.code, pred.stderr).toBe(0);
    // Ridge serves only if it beat naive on the gate window; otherwise naive (version 1) does.
    expect(json(pred.stdout) as { modelVersion: number; predictedClose: number }).toMatchObject({
      ticker: 'NEW',
      modelVersion: t.promoted ? 2 : 1,
      model: { kind: t.promoted ? 'ridge' : 'naive' },
    });
  });

  it('refuses a file that is not the expected CSV, naming the columns, with a non-zero exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockops-bad-'));
    writeFileSync(join(dir, 'bad.csv'), 'ticker;price\nAAPL;1\n');
    const res = await cli(['import', join(dir, 'bad.csv'), '--ticker', 'BAD', '--json'], env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('Date,Open,High,Low,Close,Adj Close,Volume');
    expect((json(res.stdout) as { error: { code: string } }).error.code).toBe('INVALID_CSV');
  });

  it('explains every command in --help and rejects bad options', async () => {
    for (const c of ['start', 'import', 'train', 'predict']) {
      const res = await cli([c, '--help'], env);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(`Usage: stockops ${c}`);
    }
    const bad = await cli(['train', '--ticker', 'NEW', '--horizon', '3'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('horizon must be one of 1, 5, 20');
  });
});

describe('stockops CLI beside a running server on the same data folder', () => {
  const env = home();
  let server: RunningServer | null = null;
  afterAll(async () => {
    await server?.stop();
  });

  it('routes import, train and predict through the server, which then serves the new version', async () => {
    server = await startServerProcess(env);
    const url = server.url;
    // The first start trains naive and ridge at h = 1, 5 and 20; h = 1 serves as soon as its naive is in.
    await waitFor('bootstrap', async () => {
      const health = (await (await fetch(`${url}/api/health`)).json()) as {
        bootstrap?: { state: string };
      };
      return health.bootstrap?.state === 'done' ? true : null;
    });
    const imp = await cli(['import', csvFile(400, 5), '--ticker', 'SRV', '--json'], env);
    expect(imp.code, imp.stderr).toBe(0);
    expect((json(imp.stdout) as { imported: number }).imported).toBe(400);
    const train = await cli(['train', '--ticker', 'SRV', '--model', 'naive', '--json'], env);
    expect(train.code, train.stderr).toBe(0);
    expect((json(train.stdout) as { modelVersion: number }).modelVersion).toBe(1);
    const res = await fetch(`${url}/api/predict?ticker=SRV&horizon=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ticker: 'SRV', modelVersion: 1, predictedReturn: 0 });
    // The first start registered naive (v1) and ridge (v2, which beats naive at h = 1) for ^GSPC.
    const pred = await cli(['predict', '--ticker', '^GSPC', '--json'], env);
    expect((json(pred.stdout) as { modelVersion: number }).modelVersion).toBe(2);
  });

  it('reuses the data folder on restart without retraining', async () => {
    await server?.stop();
    server = await startServerProcess(env);
    const url = server.url;
    const runs = await waitFor(
      'predict after restart',
      async () => {
        const res = await fetch(`${url}/api/predict?ticker=%5EGSPC`);
        return res.ok
          ? ((await (await fetch(`${url}/api/runs?ticker=%5EGSPC`)).json()) as unknown[])
          : null;
      },
      10_000,
    );
    // naive and ridge at h = 1, 5 and 20 from the first start, none since.
    expect(runs).toHaveLength(6);
  });
});
