import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toSeries, type Bar } from '../data/index.js';
import { randomWalkBars } from '../testing/index.js';
import { alphaFeatureSet } from './alpha-set.js';
import { buildDataset, computeFeatureColumns } from './dataset.js';
import { featureSetKey } from './feature-set.js';
import { applyImputer, fitImputer } from './imputer.js';
import { getFeatureSet } from './feature-sets.js';

interface Fixture {
  featureSet: string;
  relativeTolerance: number;
  series: { symbol: string; bars: Bar[]; features: Record<string, (number | null)[]> }[];
}

const fixture = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'tests', 'fixtures', 'features', 'alpha-v1.json'),
    'utf8',
  ),
) as Fixture;

/**
 * Features are scale-free ratios of order 1e-4..1. A value that is 0 in exact arithmetic (a close equal
 * to its mean in a halted stretch) comes out as +-1e-16 in either implementation, where no relative
 * rule can apply; differences below this absolute floor are rounding of exact zeros.
 */
const ZERO_FLOOR = 1e-14;

/** Mismatches of one column against the reference, as readable strings (empty when it matches). */
function mismatches(
  name: string,
  dates: readonly string[],
  got: Float64Array,
  want: readonly (number | null)[],
  tol: number,
): string[] {
  const out: string[] = [];
  want.forEach((w, i) => {
    const g = got[i] ?? Number.NaN;
    const same =
      w === null
        ? Number.isNaN(g)
        : Number.isFinite(g) &&
          (Math.abs(g - w) <= tol * Math.max(Math.abs(g), Math.abs(w)) ||
            Math.abs(g - w) <= ZERO_FLOOR);
    if (!same) {
      out.push(`${name} on ${dates[i] ?? i}: got ${g}, pandas ${w ?? 'NaN'}`);
    }
  });
  return out;
}

describe('alphaFeatureSet', () => {
  it('is the feature set recorded in the pandas fixture, with a one-line description per feature', () => {
    expect(featureSetKey(alphaFeatureSet)).toBe(fixture.featureSet);
    expect(getFeatureSet('alpha@1')).toBe(alphaFeatureSet);
    const names = alphaFeatureSet.features.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of alphaFeatureSet.features) {
      expect(f.description.length).toBeGreaterThan(10);
      expect(f.description).not.toContain('\n');
    }
  });

  for (const s of fixture.series) {
    it(`matches the pandas reference to 1e-9 relative on every row of ${s.symbol}`, () => {
      const series = toSeries(s.symbol, s.bars);
      const cols = computeFeatureColumns(series, alphaFeatureSet);
      expect(Object.keys(s.features).sort()).toEqual(
        alphaFeatureSet.features.map((f) => f.name).sort(),
      );
      const bad = alphaFeatureSet.features.flatMap((f, c) =>
        mismatches(
          f.name,
          series.dates,
          cols[c] ?? new Float64Array(0),
          s.features[f.name] ?? [],
          fixture.relativeTolerance,
        ),
      );
      expect(bad.slice(0, 40)).toEqual([]);
    });
  }

  it('computes a row bit for bit from its 61-bar window alone, so the live row equals the training row', () => {
    const bars = randomWalkBars(400, 13);
    const full = computeFeatureColumns(toSeries('T', bars), alphaFeatureSet);
    const w = alphaFeatureSet.window ?? 0;
    expect(w).toBe(alphaFeatureSet.lookback + 1);
    for (const end of [61, 150, 399]) {
      const tail = computeFeatureColumns(
        toSeries('T', bars.slice(end + 1 - w, end + 1)),
        alphaFeatureSet,
      );
      full.forEach((col, c) => {
        expect(Object.is(tail[c]?.[w - 1], col[end]), alphaFeatureSet.features[c]?.name).toBe(true);
      });
    }
  });

  it('computes the same values from any starting row (`from`), as serving asks for the last row alone', () => {
    const cases = [
      ...fixture.series.map((s) => toSeries(s.symbol, s.bars)),
      toSeries('T', randomWalkBars(200, 5)),
    ];
    for (const series of cases) {
      const n = series.dates.length;
      const full = computeFeatureColumns(series, alphaFeatureSet);
      const differ: string[] = [];
      for (const from of [1, 59, 61, 120, n - 2, n - 1]) {
        const part = computeFeatureColumns(series, alphaFeatureSet, from);
        full.forEach((col, c) => {
          for (let i = from; i < n; i++) {
            if (!Object.is(part[c]?.[i], col[i])) {
              differ.push(`${alphaFeatureSet.features[c]?.name ?? c} at ${i} from ${from}`);
            }
          }
        });
      }
      expect(differ.slice(0, 20), series.symbol).toEqual([]);
      const live = buildDataset(series, alphaFeatureSet, 1, { from: n - 1 });
      const whole = buildDataset(series, alphaFeatureSet, 1);
      expect(live.labeled.nRows).toBe(0);
      expect([...live.latest.X]).toEqual([...whole.latest.X]);
      const tail = buildDataset(series, alphaFeatureSet, 1, { from: n - 30 });
      expect(tail.labeled.dates).toEqual(whole.labeled.dates.slice(-29));
      expect([...tail.labeled.X]).toEqual([...whole.labeled.X.slice(-29 * whole.labeled.nCols)]);
    }
  });

  it('has no look-ahead: a row is identical whether or not later bars exist', () => {
    const bars = randomWalkBars(300, 8);
    const full = computeFeatureColumns(toSeries('T', bars), alphaFeatureSet);
    const part = computeFeatureColumns(toSeries('T', bars.slice(0, 200)), alphaFeatureSet);
    full.forEach((col, c) => {
      expect(Object.is(part[c]?.[199], col[199])).toBe(true);
    });
  });

  it('never yields Infinity, and missing or zero volume reaches no model input as NaN', () => {
    const bars = randomWalkBars(300, 4).map((b, i) => ({
      ...b,
      volume: i % 7 === 0 ? null : i % 5 === 0 ? 0 : b.volume,
    }));
    const built = buildDataset(toSeries('T', bars), alphaFeatureSet, 1);
    expect(built.labeled.X.every((v) => Number.isNaN(v) || Number.isFinite(v))).toBe(true);
    expect(built.labeled.X.some((v) => Number.isNaN(v))).toBe(true);
    const imp = fitImputer(built.labeled);
    expect([...imp.dropped, ...imp.imputed].some((n) => n.startsWith('volume_z'))).toBe(true);
    expect(applyImputer(imp, built.labeled).X.every((v) => Number.isFinite(v))).toBe(true);
    expect(applyImputer(imp, built.latest).X.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('drops volume features of a ticker that never reports volume, and says so', () => {
    const bars = randomWalkBars(300, 4).map((b) => ({ ...b, volume: null }));
    const built = buildDataset(toSeries('^IDX', bars), alphaFeatureSet, 1);
    const imp = fitImputer(built.labeled);
    expect(imp.dropped).toEqual(
      expect.arrayContaining(['volume_z_5', 'volume_z_20', 'pv_corr_20', 'pv_cord_20']),
    );
    expect(applyImputer(imp, built.labeled).featureNames).not.toContain('volume_z_20');
  });
});
