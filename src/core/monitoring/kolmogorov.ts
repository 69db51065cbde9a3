// Distributions of Kolmogorov-Smirnov statistics, ported from scipy 1.17 so that ks2samp's p-values match scipy.stats.ks_2samp.
// Exact two-sample: Hodges' lattice-path counts (scipy.stats._stats_py / _stats_pythran). One-sample
// two-sided D_n (scipy.stats.kstwo, used by ks_2samp's asymptotic method with n = round(n1 n2 / (n1 + n2))):
// Simard & L'Ecuyer's choice between Ruben-Gambino, Durbin's matrix (Marsaglia-Tsang-Wang), Pomeranz,
// Pelz-Good and twice the one-sided Smirnov tail (scipy.stats._ksstats, cephes/xsf kolmogorov.h).
// scipy runs parts of this in long double or double-double; here everything is double, with extra
// scaling where long double had the range. The fixture holds the results to 1e-9 relative.

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const MACHEP = 1.1102230246251565e-16;
const MINLOG = -745.1332191019412; // log(2^-1074): exp() of anything below is 0

/** numpy's round: half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    [a, b] = [b, a % b];
  }
  return a;
}

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

/** Pr(D_{n,n} >= h/n): paths outside the band |x - y| < h, by Hodges' alternating sum in Horner form. */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) {
      p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    }
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * Pr(D_{m,n} >= h / lcm(m, n)) by the inside method, recursing on 1 - p directly (Viehmann 2021) so
 * small p-values keep their precision. One sliding column of the lattice, as scipy does.
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 < n0 ? [n0, m0] : [m0, n0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) {
      return 1;
    }
    let val = minj === 0 ? 0 : 1;
    const shift = minj - lastminj;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((a[jj + shift] as number) * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
    }
  }
  return a[maxj - minj - 1] as number;
}

/** scipy's _attempt_exact_2kssamp (two-sided): the statistic snapped to the lattice, and its exact p-value. */
export function ks2SampleExact(
  n1: number,
  n2: number,
  d: number,
): { ok: boolean; statistic: number; pValue: number } {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const statistic = h / lcm;
  if (h === 0) {
    return { ok: true, statistic, pValue: 1 };
  }
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  return { ok: p >= 0 && p <= 1, statistic, pValue: p };
}

// ---------------------------------------------------------------------------------------------
// One-sample two-sided distribution of D_n (scipy.stats.kstwo).

const STIRLING_COEFFS = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417,
  -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
];
const LOG_2PI = Math.log(2 * Math.PI);

/** log(n! / n^n) by Stirling, with n log n removed up front. */
function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING_COEFFS) {
    poly = poly * (rn / n) + c;
  }
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number;
      if (aik === 0) {
        continue;
      }
      for (let j = 0; j < m; j++) {
        out[i * m + j] = (out[i * m + j] as number) + aik * (b[k * m + j] as number);
      }
    }
  }
  return out;
}

/** Pr(D_n <= d) by Durbin's matrix algorithm as Marsaglia, Tsang and Wang evaluate it. */
function kolmognDurbin(n: number, d: number): number {
  if (d >= 1) {
    return 1;
  }
  const nd = n * d;
  if (nd <= 0.5) {
    return 0;
  }
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  let H: Float64Array = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    v[j - 1] = 1 - h ** j;
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (v[j - 1] as number) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) {
      H[r * m + i] = w[r - (i - 1)] as number;
    }
  }
  for (let r = 0; r < m; r++) {
    H[r * m] = v[r] as number;
  }
  for (let c = 0; c < m; c++) {
    H[(m - 1) * m + c] = v[m - 1 - c] as number;
  }
  let P: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    P[i * m + i] = 1;
  }
  // scipy keeps H below 2^128 and lets the power grow in long double; double needs the power scaled too.
  let expnt = 0;
  let hExpnt = 0;
  const kk = (k - 1) * m + (k - 1);
  for (let nn = n; nn > 0; nn = Math.floor(nn / 2)) {
    if (nn % 2 === 1) {
      P = matmul(P, H, m);
      expnt += hExpnt;
      if (Math.abs(P[kk] as number) > E128) {
        P = P.map((x) => x / E128);
        expnt += 128;
      }
    }
    H = matmul(H, H, m);
    hExpnt *= 2;
    if (Math.abs(H[kk] as number) > E128) {
      H = H.map((x) => x / E128);
      hExpnt += 128;
    }
  }
  let p = P[kk] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      expnt -= 128;
    }
  }
  if (expnt !== 0) {
    p = p * 2 ** expnt;
  }
  return clip01(p);
}

function pomeranzJ1J2(
  i: number,
  n: number,
  ll: number,
  ceilf: number,
  roundf: number,
): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pr(D_n <= x) by the Pomeranz recursion. */
function kolmognPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = 1;
  twogpower[0] = 1;
  onem2gpower[0] = 1;
  let expnt = 0;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = ((gpower[m - 1] as number) * gOverN) / m;
    twogpower[m] = ((twogpower[m - 1] as number) * twoGOverN) / m;
    onem2gpower[m] = ((onem2gpower[m - 1] as number) * oneMinusTwoGOverN) / m;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let [j1, j2] = pomeranzJ1J2(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 === 1 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // conv = np.convolve(V0[k1 - V0s : k1 - V0s + ln2], pwrs[:ln2]); only [j1 - k1, j2 - k1] is kept.
      const base = k1 - V0s;
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let max = 0;
      for (let c = 0; c < convLen; c++) {
        const idx = convStart + c;
        let s = 0;
        for (let q = Math.max(0, idx - ln2 + 1); q <= Math.min(idx, ln2 - 1); q++) {
          s += (V0[base + q] ?? 0) * (pwrs[idx - q] as number);
        }
        V1[c] = s;
        max = Math.max(max, s);
      }
      if (max > 0 && max < EM128) {
        for (let c = 0; c < convLen; c++) {
          V1[c] = (V1[c] as number) * E128;
        }
        expnt -= 128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s] as number;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  if (expnt !== 0) {
    ans = ans * 2 ** expnt;
  }
  return clip01(ans);
}

const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);

/** Pelz-Good's approximation to Pr(D_n <= x), for large n. */
function kolmognPelzGood(n: number, x: number): number {
  if (x <= 0) {
    return 0;
  }
  if (x >= 1) {
    return 1;
  }
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) {
    return 0;
  }
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = q ** (8 * k);
    const coeffs = [
      1,
      k1a + k1b * m2,
      k2a + k2b * m2 + k2c * m4,
      k3a + k3b * m2 + k3c * m4 + k3d * m6,
    ];
    for (let i = 0; i < 4; i++) {
      K[i] = (K[i] as number) * qpower + (coeffs[i] as number);
    }
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) {
    K[i] = ((K[i] as number) * q * SQRT2PI) / (div[i] as number);
  }
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = SQRT3 * z;
  for (let k = maxk; k > 0; k--) {
    const ks2 = k * k;
    const qp = q ** ks2;
    const kspi = Math.PI * k;
    k2extra += ks2 * qp;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
  }
  K[2] = (K[2] as number) + (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] = (K[3] as number) + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    sum += (K[i] as number) / n ** (i / 2);
  }
  return sum;
}

/**
 * x times the sum of A_v = C(n, v) (x + v/n)^(v - 1) (1 - x - v/n)^(n - v) over v < nTerms: the
 * one-sided tail by Birnbaum and Tingey's formula. The terms are positive, so the sum keeps full
 * relative precision if each term does: A_0 comes from one logarithm, every later term from the
 * previous one times A_v / A_(v-1), whose powers are exp(k log1p(small)) of modest size. A running
 * log-sum would not do: its rounding grows with log A_v, about 1e-9 relative at n = 200000, where scipy
 * works in double-double. Term and sum share a power-of-two scale so neither under- nor overflows.
 */
function smirnovLowerSum(n: number, x: number, nTerms: number): number {
  const nx = n * x;
  const logA0 = n * Math.log1p(-x) - Math.log(x);
  let scale = Math.floor(logA0 / Math.LN2);
  let term = Math.exp(logA0 - scale * Math.LN2);
  let sum = term;
  for (let v = 1; v < nTerms; v++) {
    const prevBase = (n - v + 1) / n - x;
    const ratio =
      (((n - v + 1) / v) *
        (x + v / n) *
        Math.exp(
          (v - 2) * Math.log1p(1 / (nx + v - 1)) + (n - v) * Math.log1p(-1 / (n - nx - v + 1)),
        )) /
      prevBase;
    term *= ratio;
    sum += term;
    if (sum > E128 * E128) {
      term /= E128 * E128;
      sum /= E128 * E128;
      scale += 256;
    }
    if (term === 0 || !Number.isFinite(term)) {
      break;
    }
    if (4 * (nTerms - v) * term < MACHEP * sum && v !== nTerms - 1) {
      break;
    }
  }
  let out = x * sum;
  while (scale < -512) {
    out *= 2 ** -512;
    scale += 512;
  }
  while (scale > 512) {
    out *= 2 ** 512;
    scale -= 512;
  }
  return out * 2 ** scale;
}

/** Survival function of the one-sided Smirnov statistic D_n^+ (scipy.special.smirnov). */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) {
    return NaN;
  }
  if (n === 1) {
    return 1 - x;
  }
  if (x === 0) {
    return 1;
  }
  if (x === 1) {
    return 0;
  }
  const nx = n * x;
  let nxfl = Math.floor(nx);
  let alpha = nx - nxfl;
  if (alpha === 1) {
    nxfl += 1;
    alpha = 0;
  }
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  let n1mxceil = n - nxfl;
  if (alpha === 0) {
    n1mxfl -= 1;
    n1mxceil += 1;
  }
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    return clip01(1 - x * (1 + x) ** (n - 1));
  }
  if (-2 * n * x * x < MINLOG) {
    return 0;
  }
  if (nxfl >= n - 1) {
    return clip01((1 - x) ** n);
  }
  if (n > 1_000_000) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  const nUpperTerms = n - n1mxceil + 1;
  const useUpper =
    (nUpperTerms <= 1 && x < 0.5) || (n >= 10 && nUpperTerms <= 3 && x <= 0.5 / Math.sqrt(n));
  if (useUpper) {
    // cdf = x * sum over v = n, n-1, ... of A_v; few terms, each formed directly.
    let sum = 0;
    let logC = 0;
    for (let j = 0; j < nUpperTerms; j++) {
      const v = n - j;
      if (j > 0) {
        logC += Math.log((v + 1) / (n - v));
      }
      // Past v = n (1 - x) the last factor is negative: the terms alternate in sign.
      const base = (n - v) / n - x;
      const sign = base < 0 && (n - v) % 2 === 1 ? -1 : 1;
      const term =
        j === 0
          ? (1 + x) ** (n - 1)
          : sign *
            Math.exp(logC + (v - 1) * Math.log(x + v / n) + (n - v) * Math.log(Math.abs(base)));
      if (Number.isFinite(term)) {
        sum += term;
      }
    }
    return clip01(1 - x * sum);
  }
  return clip01(smirnovLowerSum(n, x, n1mxfl + 1));
}

/**
 * Survival function of the two-sided one-sample statistic D_n: scipy.stats.kstwo.sf(x, n), which
 * ks_2samp's asymptotic method evaluates at n = round(n1 n2 / (n1 + n2)).
 */
export function kstwoSf(x: number, n: number): number {
  if (Number.isNaN(x) || !(n >= 1) || !Number.isInteger(n)) {
    return NaN;
  }
  if (x >= 1) {
    return 0;
  }
  if (x <= 0.5 / n) {
    return 1;
  }
  const t = n * x;
  if (t <= 1) {
    const prob =
      n <= 140
        ? productRubenGambino(n, t)
        : Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    return clip01(1 - prob);
  }
  if (t >= n - 1) {
    return clip01(2 * (1 - x) ** n);
  }
  if (x >= 0.5) {
    return clip01(2 * smirnovSf(n, x));
  }
  const nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 0.754693) {
      return clip01(1 - kolmognDurbin(n, x));
    }
    if (nxsquared <= 4) {
      return clip01(1 - kolmognPomeranz(n, x));
    }
    return clip01(2 * smirnovSf(n, x));
  }
  if (nxsquared >= 370) {
    return 0;
  }
  if (nxsquared >= 2.2) {
    return clip01(2 * smirnovSf(n, x));
  }
  const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? kolmognDurbin(n, x) : kolmognPelzGood(n, x);
  return clip01(1 - cdf);
}

/** n!/n^n (2t - 1)^n as numpy's prod over i (1/n) (2t - 1), for t <= 1 (Ruben-Gambino). */
function productRubenGambino(n: number, t: number): number {
  let p = 1;
  for (let i = 1; i <= n; i++) {
    p *= i * (1 / n) * (2 * t - 1);
  }
  return p;
}
