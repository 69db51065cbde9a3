// Alert conditions from monitoring facts, and the closed sessions a ticker is behind on its exchange's calendar.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ALERT_SETTINGS,
  alertConditions,
  checkAlertSettings,
  sessionsBehind,
  type AlertFacts,
} from './index.js';

const none: AlertFacts = { models: [], flows: [], tickers: [], quarantine: [] };
const model = {
  name: '^GSPC.h1',
  ticker: '^GSPC',
  horizon: 1,
  driftWindows: [] as boolean[],
  accuracy: null,
  retrainStopped: null,
};

describe('alertConditions', () => {
  it('holds nothing when all is well', () => {
    expect(alertConditions(DEFAULT_ALERT_SETTINGS, { ...none, models: [model] })).toEqual([]);
  });

  it('keys each condition by rule and subject, so one alert per model, level, flow or ticker', () => {
    const c = alertConditions(DEFAULT_ALERT_SETTINGS, {
      models: [
        {
          ...model,
          driftWindows: [true, true, true],
          accuracy: { matured: 80, skill: -0.1, coverage: { '80': 0.6, '95': 0.93 } },
          retrainStopped: 3,
        },
      ],
      flows: [
        { flow: 'etl', consecutiveFailures: 3 },
        { flow: 'train', consecutiveFailures: 2 },
      ],
      tickers: [
        { ticker: 'AAPL', lastBarDate: '2024-01-02', sessionsBehind: 3 },
        { ticker: 'TSM', lastBarDate: '2024-01-05', sessionsBehind: 2 },
      ],
      quarantine: [{ ticker: 'AAPL', rows: 51 }],
    });
    expect(c.map((x) => x.key)).toEqual([
      'drift:^GSPC.h1',
      'accuracy-decay:^GSPC.h1',
      'coverage-break:^GSPC.h1:80',
      'retrain-stopped:^GSPC.h1',
      'flow-failures:etl',
      'stale-data:AAPL',
      'quarantine-spike:AAPL',
    ]);
    expect(c.find((x) => x.rule === 'coverage-break')).toMatchObject({
      value: 0.6,
      threshold: expect.closeTo(0.7, 12) as number,
      ticker: '^GSPC',
      horizon: 1,
    });
  });

  it('says nothing about accuracy or coverage before enough forecasts matured', () => {
    const c = alertConditions(DEFAULT_ALERT_SETTINGS, {
      ...none,
      models: [{ ...model, accuracy: { matured: 59, skill: -1, coverage: { '80': 0 } } }],
    });
    expect(c).toEqual([]);
  });
});

describe('sessionsBehind', () => {
  it('counts closed NYSE sessions after the last bar, skipping weekends and holidays, not today', () => {
    // Friday 2024-12-20; Christmas (Wed) is a holiday: Mon 23, Tue 24, Thu 26 have closed by Fri 27.
    expect(sessionsBehind('AAPL', '2024-12-20', '2024-12-27')).toBe(3);
    expect(sessionsBehind('AAPL', '2024-12-20', '2024-12-23')).toBe(0);
    expect(sessionsBehind('AAPL', '2024-12-26', '2024-12-27')).toBe(0);
  });

  it('uses the TWSE calendar for Taipei tickers', () => {
    // 2024-10-10 (National Day, Thursday) is closed in Taipei, open in New York.
    expect(sessionsBehind('2330.TW', '2024-10-09', '2024-10-14')).toBe(1);
    expect(sessionsBehind('TSM', '2024-10-09', '2024-10-14')).toBe(2);
  });
});

describe('checkAlertSettings', () => {
  it('refuses a negative count or a fraction out of range', () => {
    expect(() => checkAlertSettings({ staleSessions: -1 })).toThrow(/staleSessions/);
    expect(() => checkAlertSettings({ coverageTolerance: 2 })).toThrow(/coverageTolerance/);
    expect(checkAlertSettings({}).staleSessions).toBe(2);
  });
});
