// Special functions the drift tests need, in plain double precision: normal tail, log-gamma, regularized upper incomplete gamma (chi-square survival).
// Each matches scipy.special to about 1e-13 relative over the ranges the tests use (checked by the
// drift fixture, tests/fixtures/drift, and special-functions.test.ts against values scipy printed).

const MACHEP = 1.1102230246251565e-16; // 2^-53, cephes' MACHEP
const MAXLOG = 709.782712893384; // log(DBL_MAX)
const LOG_SQRT_2PI = 0.9189385332046728; // log(sqrt(2 pi))

// Cephes' erf/erfc rational approximations (xsf/cephes/ndtr.h), the ones scipy.special.ndtr uses, so
// the Z test's p-value agrees with scipy's to the last bits rather than to an approximation's error.
const NDTR_P = [
  2.461969814735305e-10, 0.5641895648310689, 7.463210564422699, 48.63719709856814,
  196.5208329560771, 526.4451949954773, 934.5285271719576, 1027.5518868951572, 557.5353353693994,
];
const NDTR_Q = [
  13.228195115474499, 86.70721408859897, 354.9377788878199, 975.7085017432055, 1823.9091668790973,
  2246.3376081871097, 1656.6630919416134, 557.5353408177277,
];
const NDTR_R = [
  0.5641895835477551, 1.275366707599781, 5.019050422511805, 6.160210979930536, 7.4097426995044895,
  2.9788666537210022,
];
const NDTR_S = [
  2.2605286322011726, 9.396035249380015, 12.048953980809666, 17.08144507475659, 9.608968090632859,
  3.369076451000815,
];
const NDTR_T = [
  9.604973739870516, 90.02601972038427, 2232.005345946843, 7003.325141128051, 55592.30130103949,
];
const NDTR_U = [
  33.56171416475031, 521.3579497801527, 4594.323829709801, 22629.000061389095, 49267.39426086359,
];

/** Horner evaluation of coef[0] x^n + ... + coef[n] (cephes polevl). */
function polevl(x: number, coef: readonly number[]): number {
  let ans = coef[0] as number;
  for (let i = 1; i < coef.length; i++) {
    ans = ans * x + (coef[i] as number);
  }
  return ans;
}

/** Horner evaluation with an implied leading coefficient 1 (cephes p1evl). */
function p1evl(x: number, coef: readonly number[]): number {
  let ans = x + (coef[0] as number);
  for (let i = 1; i < coef.length; i++) {
    ans = ans * x + (coef[i] as number);
  }
  return ans;
}

/** The error function. */
export function erf(x: number): number {
  if (Number.isNaN(x)) {
    return NaN;
  }
  if (x < 0) {
    return -erf(-x);
  }
  if (x > 1) {
    return 1 - erfc(x);
  }
  const z = x * x;
  return (x * polevl(z, NDTR_T)) / p1evl(z, NDTR_U);
}

/** The complementary error function 1 - erf(a), accurate in the far tail. */
export function erfc(a: number): number {
  if (Number.isNaN(a)) {
    return NaN;
  }
  const x = Math.abs(a);
  if (x < 1) {
    return 1 - erf(a);
  }
  const z = -a * a;
  if (z < -MAXLOG) {
    return a < 0 ? 2 : 0;
  }
  const e = Math.exp(z);
  const y =
    x < 8 ? (e * polevl(x, NDTR_P)) / p1evl(x, NDTR_Q) : (e * polevl(x, NDTR_R)) / p1evl(x, NDTR_S);
  const out = a < 0 ? 2 - y : y;
  return out !== 0 ? out : a < 0 ? 2 : 0;
}

/** The standard normal CDF (scipy.special.ndtr). Its survival function is ndtr(-x), exact in the tail. */
export function ndtr(a: number): number {
  if (Number.isNaN(a)) {
    return NaN;
  }
  const x = a * Math.SQRT1_2;
  const z = Math.abs(x);
  if (z < 1) {
    return 0.5 + 0.5 * erf(x);
  }
  const y = 0.5 * erfc(z);
  return x > 0 ? 1 - y : y;
}

// Stirling's series for log Gamma*(x) = log Gamma(x) - ((x - 1/2) log x - x + log sqrt(2 pi)):
// B_2k / (2k (2k - 1) x^(2k - 1)); from x = 10 on, eight terms leave an error below 1e-19.
const STIRLING = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];

/** log Gamma*(x) for x >= 10: the Stirling correction alone, without the cancelling large terms. */
function logGammaStar(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  let s = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) {
    s = s * r2 + (STIRLING[k] as number);
  }
  return s * r;
}

/** log |Gamma(x)| for x > 0. */
export function lgamma(x: number): number {
  if (Number.isNaN(x) || x <= 0) {
    return x === 0 ? Infinity : NaN;
  }
  if (x === Infinity) {
    return Infinity;
  }
  if (x === 1 || x === 2) {
    return 0;
  }
  if (x >= 10) {
    return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + logGammaStar(x);
  }
  // Gamma(x) = Gamma(x + n) / (x (x + 1) ... (x + n - 1)), shifted into Stirling's range.
  let prod = 1;
  let y = x;
  while (y < 10) {
    prod *= y;
    y += 1;
  }
  return (y - 0.5) * Math.log(y) - y + LOG_SQRT_2PI + logGammaStar(y) - Math.log(prod);
}

/** log(1 + x) - x without cancellation near 0 (cephes log1pmx). */
export function log1pmx(x: number): number {
  if (Math.abs(x) < 0.5) {
    let xfac = x;
    let res = 0;
    for (let n = 2; n < 500; n++) {
      xfac *= -x;
      const term = xfac / n;
      res += term;
      if (Math.abs(term) < MACHEP * Math.abs(res)) {
        break;
      }
    }
    return res;
  }
  return Math.log1p(x) - x;
}

/**
 * x^a e^-x / Gamma(a), the prefactor of both incomplete gamma functions. Where x is near a, the
 * direct logarithm a log x - x - lgamma(a) loses about a*eps to cancellation, so that range goes
 * through log1pmx and Stirling's correction instead (the idea of cephes' igam_fac, without Lanczos).
 */
function igamPrefactor(a: number, x: number): number {
  if (Math.abs(a - x) > 0.4 * Math.abs(a) || a < 10) {
    const ax = a * Math.log(x) - x - lgamma(a);
    return ax < -MAXLOG ? 0 : Math.exp(ax);
  }
  // x^a e^-x / Gamma(a) = exp(a log1pmx((x - a) / a)) * sqrt(a / (2 pi)) / Gamma*(a)
  const sigma = (x - a) / a;
  return Math.exp(a * log1pmx(sigma) - logGammaStar(a)) * Math.sqrt(a / (2 * Math.PI));
}

const MAXITER = 5000;
const TINY = 1e-300;

/** P(a, x) by its power series (DLMF 8.11.4); converges for every x, quickly for x < a + 1. */
function igamSeries(a: number, x: number): number {
  const fac = igamPrefactor(a, x);
  if (fac === 0) {
    return 0;
  }
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let i = 0; i < MAXITER; i++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) <= Math.abs(sum) * MACHEP) {
      break;
    }
  }
  return sum * fac;
}

/** Q(a, x) by its continued fraction (DLMF 8.9.2), evaluated with the modified Lentz method; for x > a. */
function igamcContinuedFraction(a: number, x: number): number {
  const fac = igamPrefactor(a, x);
  if (fac === 0) {
    return 0;
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAXITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) {
      d = TINY;
    }
    c = b + an / c;
    if (Math.abs(c) < TINY) {
      c = TINY;
    }
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= MACHEP) {
      break;
    }
  }
  return h * fac;
}

/**
 * Q(a, x) = Gamma(a, x) / Gamma(a), the regularized upper incomplete gamma function
 * (scipy.special.gammaincc, cephes igamc), including scipy's answers at the edges: Q(0, x > 0) = 0,
 * Q(a, 0) = 1, NaN for negative arguments.
 */
export function gammaincc(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a < 0 || x < 0) {
    return NaN;
  }
  if (a === 0) {
    return x > 0 ? 0 : NaN;
  }
  if (x === 0) {
    return 1;
  }
  if (a === Infinity) {
    return x === Infinity ? NaN : 1;
  }
  if (x === Infinity) {
    return 0;
  }
  // The continued fraction converges fast beyond x = a + 1; below it the series for P does, and
  // 1 - P keeps full precision there because Q is not small.
  return x < a + 1 ? 1 - igamSeries(a, x) : igamcContinuedFraction(a, x);
}

/** Survival function of the chi-square distribution with `dof` degrees of freedom (scipy.special.chdtrc). */
export function chi2Sf(x: number, dof: number): number {
  if (x < 0) {
    return NaN;
  }
  return gammaincc(dof / 2, x / 2);
}
