// Statistical helpers for forecast comparison: normal CDF and the Diebold-Mariano test.

/**
 * Standard normal CDF by Hart's double-precision rational approximation (as given by G. West,
 * "Better approximations to cumulative normal functions", 2005): absolute error near 1e-14.
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x);
  let c: number;
  if (z > 37) {
    c = 0;
  } else {
    const e = Math.exp((-z * z) / 2);
    if (z < 7.07106781186547) {
      let n = 3.52624965998911e-2 * z + 0.700383064443688;
      n = n * z + 6.37396220353165;
      n = n * z + 33.912866078383;
      n = n * z + 112.079291497871;
      n = n * z + 221.213596169931;
      n = n * z + 220.206867912376;
      let d = 8.83883476483184e-2 * z + 1.75566716318264;
      d = d * z + 16.064177579207;
      d = d * z + 86.7807322029461;
      d = d * z + 296.564248779674;
      d = d * z + 637.333633378831;
      d = d * z + 793.826512519948;
      d = d * z + 440.413735824752;
      c = (e * n) / d;
    } else {
      let b = z + 0.65;
      b = z + 4 / b;
      b = z + 3 / b;
      b = z + 2 / b;
      b = z + 1 / b;
      c = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - c : c;
}

/**
 * Two-sided Diebold-Mariano p-value for equal squared-error accuracy of forecasts a and b, with a
 * Newey-West long-run variance over h-1 lags (overlapping h-step errors are autocorrelated to lag h-1).
 * Returns 1 when the loss differential is identically zero (the forecasts are the same).
 */
export function dieboldMariano(
  actual: Float64Array,
  a: Float64Array,
  b: Float64Array,
  horizon: number,
): number {
  const n = actual.length;
  if (n < 3) {
    return Number.NaN;
  }
  const d = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const ea = (a[i] ?? 0) - (actual[i] ?? 0);
    const eb = (b[i] ?? 0) - (actual[i] ?? 0);
    d[i] = ea * ea - eb * eb;
    mean += d[i] ?? 0;
  }
  mean /= n;
  const gamma = (k: number) => {
    let s = 0;
    for (let i = k; i < n; i++) {
      s += ((d[i] ?? 0) - mean) * ((d[i - k] ?? 0) - mean);
    }
    return s / n;
  };
  let lrv = gamma(0);
  for (let k = 1; k < horizon; k++) {
    lrv += 2 * (1 - k / horizon) * gamma(k);
  }
  if (!(lrv > 0)) {
    return 1;
  }
  const stat = mean / Math.sqrt(lrv / n);
  return 2 * (1 - normalCdf(Math.abs(stat)));
}
