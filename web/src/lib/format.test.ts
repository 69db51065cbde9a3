// Unit tests of the UI's formatters: dashes for missing values, signs, plurals and UTC dates.
import { describe, expect, it } from 'vitest';
import {
  DASH,
  formatAxisPrices,
  formatClock,
  formatDay,
  formatDuration,
  formatMetric,
  formatPercent,
  formatPrice,
  formatTime,
  formatTradingDays,
} from './format';
import { i18n } from '../i18n';

describe('formatPercent', () => {
  it('shows a fraction as a percentage with the digits asked for', () => {
    expect(formatPercent(0.00054)).toBe('0.05%');
    expect(formatPercent(0.1234, 1)).toBe('12.3%');
  });

  it('signs positives only when asked and negatives always, with a real minus', () => {
    expect(formatPercent(0.003, 2, true)).toBe('+0.30%');
    expect(formatPercent(-0.003, 2, true)).toBe('−0.30%');
    expect(formatPercent(-0.003)).toBe('−0.30%');
  });

  it('never shows a sign on a value that rounds to zero', () => {
    expect(formatPercent(-0.000001, 2, true)).toBe('0.00%');
    expect(formatPercent(0.000001, 2, true)).toBe('0.00%');
  });

  it('shows a dash for a missing or non-finite value', () => {
    expect(formatPercent(undefined)).toBe(DASH);
    expect(formatPercent(null)).toBe(DASH);
    expect(formatPercent(Number.NaN)).toBe(DASH);
  });
});

describe('formatTradingDays', () => {
  it('says "1 trading day" and "20 trading days", and 「5 個交易日」 in Chinese', async () => {
    expect(formatTradingDays(1)).toBe('1 trading day');
    expect(formatTradingDays(20)).toBe('20 trading days');
    await i18n.changeLanguage('zh-TW');
    try {
      expect(formatTradingDays(5)).toBe('5 個交易日');
      expect(formatDay('2020-04-17')).toBe('2020年4月17日週五');
      expect(formatDuration(0, 185_000, 0)).toBe('3 分 5 秒');
      expect(formatPrice(2874.5612)).toBe('2,874.56');
    } finally {
      await i18n.changeLanguage('en');
    }
  });
});

describe('formatMetric', () => {
  it('keeps significant digits and dashes what is missing', () => {
    expect(formatMetric(0.0122736763177584)).toBe('0.012274');
    expect(formatMetric(0.31439, 3)).toBe('0.314');
    expect(formatMetric(undefined)).toBe(DASH);
    expect(formatMetric(Number.POSITIVE_INFINITY)).toBe(DASH);
  });
});

describe('formatDuration', () => {
  it('shows seconds under a minute and minutes with whole seconds above', () => {
    expect(formatDuration(1000, 3400, 0)).toBe('2.4 s');
    expect(formatDuration(0, 185_000, 0)).toBe('3 min 5 s');
  });

  it('never shows "60 s" after the minutes', () => {
    expect(formatDuration(0, 119_600, 0)).toBe('2 min 0 s');
  });

  it('counts a running span up to now and dashes one that has not started', () => {
    expect(formatDuration(1000, null, 6000)).toBe('5.0 s');
    expect(formatDuration(null, null, 6000)).toBe(DASH);
  });
});

describe('dates and times', () => {
  it('reads trading dates as calendar dates, whatever the viewer time zone', () => {
    expect(formatDay('2020-04-17')).toBe('Fri, Apr 17, 2020');
    expect(formatDay('not a date')).toBe('not a date');
  });

  it('shows instants in UTC', () => {
    const ms = Date.UTC(2026, 11, 2, 3, 58, 7);
    expect(formatTime(ms)).toBe('2026-12-02 03:58');
    expect(formatClock(ms)).toBe('03:58:07');
  });
});

describe('prices', () => {
  it('shows cents and thousands separators', () => {
    expect(formatPrice(2874.5612)).toBe('2,874.56');
  });

  it('drops the cents on axis labels only when every tick is whole', () => {
    expect(formatAxisPrices([2800, 2900, 3000])).toEqual(['2,800', '2,900', '3,000']);
    expect(formatAxisPrices([2800, 2850.5])).toEqual(['2,800.00', '2,850.50']);
  });
});
