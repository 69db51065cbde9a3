// The special functions against values scipy 1.17 printed (scipy.special and scipy.stats.kstwo); the drift fixture covers many more.
import { describe, expect, it } from 'vitest';
import { ks2SampleExact, kstwoSf, roundHalfEven, smirnovSf } from './kolmogorov.js';
import { chi2Sf, gammaincc, lgamma, ndtr } from './special-functions.js';

const close = (actual: number, expected: number, rel = 1e-12) => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
};

describe('ndtr', () => {
  it('matches scipy.special.ndtr from the far left tail to the right', () => {
    const cases: [number, number][] = [
      [-37.5, 4.605353009581954e-308],
      [-8.5, 9.47953482220325e-18],
      [-1.2, 0.11506967022170822],
      [0, 0.5],
      [0.3, 0.6179114221889526],
      [2.5, 0.9937903346742238],
    ];
    for (const [x, p] of cases) {
      close(ndtr(x), p, 1e-15);
    }
  });
});

describe('chi2Sf', () => {
  it('matches scipy.special.chdtrc near the mode, in the tails and for many degrees of freedom', () => {
    const cases: [number, number, number][] = [
      [0.5, 1, 0.47950012218695337],
      [3, 2, 0.22313016014842982],
      [12, 4, 0.01735126523666451],
      [95, 99, 0.5950779044295179],
      [1500, 99, 6.466984367228185e-249],
      [4, 20, 0.9999535019249828],
      [0.01, 3, 0.9997348349413444],
    ];
    for (const [x, dof, p] of cases) {
      close(chi2Sf(x, dof), p);
    }
  });

  it('gives scipy its edge answers: zero degrees of freedom, zero and infinite statistics', () => {
    expect(chi2Sf(0, 3)).toBe(1);
    expect(chi2Sf(Infinity, 3)).toBe(0);
    expect(chi2Sf(2, 0)).toBe(0);
    expect(chi2Sf(0, 0)).toBeNaN();
    expect(gammaincc(-1, 1)).toBeNaN();
  });
});

describe('lgamma', () => {
  it('matches scipy.special.gammaln below and inside the Stirling range', () => {
    close(lgamma(0.5), 0.5723649429247, 1e-14);
    close(lgamma(3.5), 1.2009736023470743, 1e-14);
    close(lgamma(10), 12.801827480081469, 1e-15);
    close(lgamma(123.5), 469.8172754919306, 1e-15);
    expect(lgamma(1)).toBe(0);
  });
});

describe('kstwoSf', () => {
  it('matches scipy.stats.kstwo.sf on every branch: Durbin, Pomeranz, Smirnov, Ruben-Gambino', () => {
    const cases: [number, number, number][] = [
      [0.3, 10, 0.27053557479999946],
      [0.15, 100, 0.019839242125643017],
      [0.05, 100, 0.9532159710635725],
      [0.02, 1000, 0.8108971656895577],
      [0.08, 1000, 5.154189384789824e-6],
      [0.2, 1000, 1.5528629204250538e-35],
      [0.6, 20, 2.0483011649719853e-7],
      [0.004, 1000, 1],
      [0.02, 200000, 6.339001082043132e-70],
    ];
    for (const [x, n, p] of cases) {
      close(kstwoSf(x, n), p, 1e-10);
    }
  });
});

describe('smirnovSf', () => {
  it('matches scipy.special.smirnov, including where scipy needs double-double', () => {
    close(smirnovSf(50, 0.05), 0.7540751208901442);
    close(smirnovSf(5000, 0.05), 1.3261526164355594e-11);
    close(smirnovSf(10, 0.5), 0.003888705);
    close(smirnovSf(1000, 0.001), 0.9972857902774867);
  });
});

describe('ks2SampleExact', () => {
  it("snaps the statistic to the lattice and matches scipy's exact two-sample p-values", () => {
    const cases: [number, number, number, number, number][] = [
      [30, 30, 0.3, 0.3, 0.13500350250095441],
      [100, 37, 0.2, 0.2, 0.19568360368737245],
      [1000, 10000, 0.05, 0.05, 0.020635195563585725],
      [250, 9973, 0.35, 0.35000020054146197, 3.400216903603538e-27],
    ];
    for (const [n1, n2, d, statistic, p] of cases) {
      const r = ks2SampleExact(n1, n2, d);
      expect(r.ok).toBe(true);
      expect(r.statistic).toBe(statistic);
      close(r.pValue, p, 1e-13);
    }
  });

  it('rounds halves to even as numpy does', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4].map(roundHalfEven)).toEqual([0, 2, 2, -0, 2]);
  });
});
