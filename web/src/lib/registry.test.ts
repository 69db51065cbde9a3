// Unit tests of the registry lookups the Experiments and Models pages use.
import type { RegisteredModelInfo } from '@stockops/api';
import { describe, expect, it } from 'vitest';
import { defaultPromoteTarget, versionsByRun } from './registry';

const version = (v: number, runId: string) => ({
  name: '^GSPC.h1',
  version: v,
  source: `runs:/${runId}/model`,
  runId,
  createdAt: 0,
  tags: {},
  aliases: [],
  dataset: null,
});

describe('versionsByRun', () => {
  it('finds the version a run registered across every model', () => {
    const models: RegisteredModelInfo[] = [
      {
        name: '^GSPC.h1',
        createdAt: 0,
        latestVersion: 2,
        aliases: {},
        versions: [version(1, 'a'), version(2, 'b')],
      },
      {
        name: '^GSPC.h5',
        createdAt: 0,
        latestVersion: 1,
        aliases: {},
        versions: [version(1, 'c')],
      },
    ];
    const byRun = versionsByRun(models);
    expect(byRun.get('b')?.version).toBe(2);
    expect(byRun.get('c')?.version).toBe(1);
    expect(byRun.get('z')).toBeUndefined();
    expect(versionsByRun(undefined).size).toBe(0);
  });
});

describe('defaultPromoteTarget', () => {
  it('offers the newest version that is not champion', () => {
    expect(defaultPromoteTarget([1, 2, 3], 3)).toBe(2);
    expect(defaultPromoteTarget([1, 2, 3], 1)).toBe(3);
    expect(defaultPromoteTarget([1, 2], undefined)).toBe(2);
  });

  it('offers the champion when it is the only version, and nothing without versions', () => {
    expect(defaultPromoteTarget([1], 1)).toBe(1);
    expect(defaultPromoteTarget([], undefined)).toBeUndefined();
  });
});
