// Cron schedules fire at wall-clock times of their own time zone, across daylight-saving changes.
import { describe, expect, it } from 'vitest';
import { retryDelay } from './backoff.js';
import { nextFire, validateCron } from './cron.js';

describe('nextFire', () => {
  it('fires after the New York close in winter and in summer time', () => {
    const winter = nextFire(
      '30 16 * * 1-5',
      'America/New_York',
      Date.parse('2026-01-05T12:00:00Z'),
    );
    expect(new Date(winter).toISOString()).toBe('2026-01-05T21:30:00.000Z');
    const summer = nextFire(
      '30 16 * * 1-5',
      'America/New_York',
      Date.parse('2026-07-06T12:00:00Z'),
    );
    expect(new Date(summer).toISOString()).toBe('2026-07-06T20:30:00.000Z');
  });

  it('skips the weekend and uses Taipei time for .TW', () => {
    const t = nextFire('0 14 * * 1-5', 'Asia/Taipei', Date.parse('2026-01-09T07:00:00Z'));
    expect(new Date(t).toISOString()).toBe('2026-01-12T06:00:00.000Z');
  });

  it('is strictly after the given instant', () => {
    const at = Date.parse('2026-01-05T21:30:00Z');
    expect(nextFire('30 16 * * 1-5', 'America/New_York', at)).toBeGreaterThan(at);
  });
});

describe('validateCron', () => {
  it('names the field that is wrong', () => {
    expect(() => {
      validateCron('61 * * * *', 'UTC');
    }).toThrow(/cron/);
    expect(() => {
      validateCron('0 * * * *', 'Mars/Olympus');
    }).toThrow(/timezone/);
    expect(() => {
      validateCron('0 0 * * * *', 'UTC');
    }).toThrow(/five fields/);
    expect(() => {
      validateCron('0 18 * * 0', 'America/New_York');
    }).not.toThrow();
  });
});

describe('retryDelay', () => {
  it('doubles per retry, keeps half fixed and half jittered, and is capped', () => {
    expect(retryDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelay(1, 1000, 60_000, () => 0.999999)).toBe(1000);
    expect(retryDelay(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(retryDelay(20, 1000, 60_000, () => 0.999999)).toBe(60_000);
  });
});
