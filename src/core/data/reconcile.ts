// Decides, for parsed CSV rows, which are new bars, which are exact duplicates and which conflict.
import { sameBarValues, type Bar } from './bar.js';
import type { CsvRow, QuarantinedRow } from './csv.js';

export interface Reconciled {
  /** New bars to store, sorted by date, one per date. */
  toInsert: Bar[];
  duplicates: number;
  quarantined: QuarantinedRow[];
}

/**
 * A date seen twice in the file with different values is ambiguous, so every row of that date is
 * quarantined rather than guessing which one is right; a row that differs from a stored bar is
 * quarantined too, so an import never silently rewrites history.
 */
export function reconcileRows(
  rows: readonly CsvRow[],
  stored: ReadonlyMap<string, Bar>,
): Reconciled {
  const byDate = new Map<string, CsvRow[]>();
  for (const r of rows) {
    const g = byDate.get(r.bar.date);
    if (g) {
      g.push(r);
    } else {
      byDate.set(r.bar.date, [r]);
    }
  }
  const toInsert: Bar[] = [];
  const quarantined: QuarantinedRow[] = [];
  let duplicates = 0;
  for (const [date, group] of byDate) {
    const first = group[0];
    if (!first) {
      continue;
    }
    if (group.some((r) => !sameBarValues(r.bar, first.bar))) {
      const lines = group.map((r) => r.line).join(', ');
      for (const r of group) {
        quarantined.push({
          line: r.line,
          reason: `duplicate date ${date} with different values (lines ${lines})`,
          raw: r.raw,
        });
      }
      continue;
    }
    duplicates += group.length - 1;
    const existing = stored.get(date);
    if (!existing) {
      toInsert.push(first.bar);
    } else if (sameBarValues(existing, first.bar)) {
      duplicates++;
    } else {
      quarantined.push({
        line: first.line,
        reason: `date ${date} is already stored with different values`,
        raw: first.raw,
      });
    }
  }
  toInsert.sort((a, b) => (a.date < b.date ? -1 : 1));
  quarantined.sort((a, b) => a.line - b.line);
  return { toInsert, duplicates, quarantined };
}
