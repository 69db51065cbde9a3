// Small dense linear algebra for ridge: the normal equations are p x p with p in the tens.
import { SingularMatrixError } from '../errors/index.js';

/** Solves A x = b for symmetric positive definite A (row-major p x p) by Cholesky. */
export function choleskySolve(A: Float64Array, b: Float64Array, p: number): Float64Array {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j] ?? 0;
      for (let k = 0; k < j; k++) {
        s -= (L[i * p + k] ?? 0) * (L[j * p + k] ?? 0);
      }
      if (i === j) {
        if (s <= 0) {
          throw new SingularMatrixError('choleskySolve', `a pivot of ${s} at row ${i} of ${p}`);
        }
        L[i * p + i] = Math.sqrt(s);
      } else {
        L[i * p + j] = s / (L[j * p + j] ?? 1);
      }
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i] ?? 0;
    for (let k = 0; k < i; k++) {
      s -= (L[i * p + k] ?? 0) * (z[k] ?? 0);
    }
    z[i] = s / (L[i * p + i] ?? 1);
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i] ?? 0;
    for (let k = i + 1; k < p; k++) {
      s -= (L[k * p + i] ?? 0) * (x[k] ?? 0);
    }
    x[i] = s / (L[i * p + i] ?? 1);
  }
  return x;
}
