// What the bench scripts share: the median they report, and writing a result block into a README between markers.
import { readFileSync, writeFileSync } from 'node:fs';

/** The middle value (the upper of the two middles for an even count); NaN for none. */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/**
 * Replaces what stands between `<!-- name:start -->` and `<!-- name:end -->` in `file` with `body`, on lines of
 * its own. False, and the file untouched, when the markers are missing or out of order.
 */
export function writeBetweenMarkers(file: string, name: string, body: string): boolean {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = readFileSync(file, 'utf8');
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) {
    return false;
  }
  writeFileSync(file, `${text.slice(0, i)}${start}\n${body}\n${end}${text.slice(j + end.length)}`);
  return true;
}
