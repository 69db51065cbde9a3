// `stockops recipe` with the real binary, without a server: the command opens the embedded store itself.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run.js';

describe('stockops recipe', () => {
  it('creates a recipe from a file, lists, shows and deletes it, and names a bad field in the file', async () => {
    const home = mkdtempSync(join(tmpdir(), 'stockops-recipe-'));
    const env = { STOCKOPS_HOME: home, STOCKOPS_BOOTSTRAP: 'false' };
    const file = join(home, 'gbdt.json');
    const spec = {
      model: { kind: 'gbdt', gbdt: { maxIter: 100, grid: { learningRate: [0.05, 0.1] } } },
      featureSet: 'alpha@1',
      horizons: [5],
      window: { type: 'expanding', start: null },
      walkForward: { initialTrain: 1000, step: 250, purge: null, embargo: 0 },
    };
    writeFileSync(file, JSON.stringify({ id: 'gbdt-weekly', name: 'GBDT, 5 days', spec }));
    const created = await cli(['recipe', 'create', '-f', file, '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: 'gbdt-weekly', version: 1, spec });

    const list = await cli(['recipe', 'list'], env);
    expect(list.stdout).toMatch(/gbdt-weekly@1\s+gbdt\s+h 5/);
    const shown = await cli(['recipe', 'show', 'gbdt-weekly', '--json'], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ versions: [1] });

    writeFileSync(file, JSON.stringify({ id: 'bad', name: 'x', spec: { ...spec, horizons: [3] } }));
    const bad = await cli(['recipe', 'create', '-f', file, '--json'], env);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    expect(bad.stderr).toContain('spec.horizons.0');

    expect((await cli(['recipe', 'delete', 'gbdt-weekly'], env)).stdout).toContain('deleted');
    const gone = await cli(['recipe', 'show', 'gbdt-weekly', '--json'], env);
    expect(JSON.parse(gone.stdout)).toMatchObject({ error: { code: 'RECIPE_NOT_FOUND' } });
  }, 120_000);
});
