// The validation tail inside a training window, purged so no fit label reaches into it.

/**
 * Rows [0, fitEnd) fit and rows [valStart, n) validate; the `horizon` rows between them are dropped
 * because their labels end inside the validation tail. Null when the window is too short to say
 * anything (fewer than 20 fit rows or 10 validation rows).
 */
export function validationSplit(
  n: number,
  horizon: number,
  fraction: number,
): { fitEnd: number; valStart: number } | null {
  const nVal = Math.floor(n * fraction);
  const fitEnd = n - nVal - horizon;
  if (fitEnd < 20 || nVal < 10) {
    return null;
  }
  return { fitEnd, valStart: n - nVal };
}
