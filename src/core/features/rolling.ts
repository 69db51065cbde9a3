// Rolling-window primitives on typed arrays; NaN marks positions without a full window.

/** Rolling mean over `w` values ending at each index (inclusive). */
export function rollingMean(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let i = w - 1; i < x.length; i++) {
    let s = 0;
    for (let j = i - w + 1; j <= i; j++) {
      s += x[j] ?? Number.NaN;
    }
    out[i] = s / w;
  }
  return out;
}

/** Rolling sample standard deviation (ddof = 1, as pandas), two-pass per window for accuracy. */
export function rollingStd(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let i = w - 1; i < x.length; i++) {
    let s = 0;
    for (let j = i - w + 1; j <= i; j++) {
      s += x[j] ?? Number.NaN;
    }
    const m = s / w;
    let ss = 0;
    for (let j = i - w + 1; j <= i; j++) {
      const d = (x[j] ?? Number.NaN) - m;
      ss += d * d;
    }
    out[i] = Math.sqrt(ss / (w - 1));
  }
  return out;
}

/** x[t] shifted back by k (x[t-k]); NaN for the first k positions. */
export function lag(x: Float64Array, k: number): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let i = k; i < x.length; i++) {
    out[i] = x[i - k] ?? Number.NaN;
  }
  return out;
}

/** Log change over k steps: ln(x[t] / x[t-k]). */
export function logChange(x: Float64Array, k: number): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let i = k; i < x.length; i++) {
    out[i] = Math.log((x[i] ?? Number.NaN) / (x[i - k] ?? Number.NaN));
  }
  return out;
}

/** Wilder's RSI in [0, 100]: the first average is a simple mean of `period` changes, then smoothed by 1/period. */
export function rsiWilder(x: Float64Array, period: number): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  if (x.length <= period) {
    return out;
  }
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = (x[i] ?? 0) - (x[i - 1] ?? 0);
    gain += Math.max(d, 0);
    loss += Math.max(-d, 0);
  }
  gain /= period;
  loss /= period;
  const rsi = (g: number, l: number) => (l === 0 ? (g === 0 ? 50 : 100) : 100 - 100 / (1 + g / l));
  out[period] = rsi(gain, loss);
  for (let i = period + 1; i < x.length; i++) {
    const d = (x[i] ?? 0) - (x[i - 1] ?? 0);
    gain = (gain * (period - 1) + Math.max(d, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-d, 0)) / period;
    out[i] = rsi(gain, loss);
  }
  return out;
}
