// Cron evaluation in a time zone, with the same parser BullMQ's job schedulers use, so both runners agree.
import { CronExpressionParser } from 'cron-parser';
import { InvalidInputError } from '../core/index.js';

/** Checks a cron pattern and an IANA time zone; throws InvalidInputError naming the field. */
export function validateCron(pattern: string, timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new InvalidInputError('timezone', `"${timezone}" is not an IANA time zone`);
  }
  try {
    CronExpressionParser.parse(pattern, { tz: timezone, strict: false });
  } catch (e) {
    throw new InvalidInputError(
      'cron',
      `"${pattern}" is not a cron pattern (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (pattern.trim().split(/\s+/).length > 5) {
    throw new InvalidInputError('cron', `"${pattern}" has seconds; use five fields (minute first)`);
  }
}

/** The first fire time strictly after `after` (ms since the epoch). */
export function nextFire(pattern: string, timezone: string, after: number): number {
  const it = CronExpressionParser.parse(pattern, { tz: timezone, currentDate: new Date(after) });
  return it.next().getTime();
}
