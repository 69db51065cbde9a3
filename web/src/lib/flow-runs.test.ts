// Unit tests of what the Flows page says about a run: ended or not, and what it is about.
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n';
import { describeFlowRun, isEnded } from './flow-runs';

const train = {
  parameters: {
    ticker: { type: 'string', description: 'ticker' },
    model: { type: 'naive | ridge', description: 'model kind', default: 'ridge' },
    horizon: { type: '1 | 5 | 20', description: 'horizon', default: 1 },
  },
};

const etl = {
  parameters: {
    tickers: { type: 'string[]', description: 'tickers' },
    market: { type: 'US | TW | ALL', description: 'market', default: 'ALL' },
    full: { type: 'boolean', description: 'full', default: false },
    snapshot: { type: 'boolean', description: 'snapshot', default: true },
  },
};

describe('describeFlowRun', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('says which ticker, model and horizon a train run is about', () => {
    const run = { parameters: { ticker: '^GSPC', model: 'naive', horizon: 5 } };
    expect(describeFlowRun(run, train)).toBe('^GSPC · naive · 5d');
  });

  it('names any other parameter the run set, and who started it', () => {
    const run = { parameters: { ticker: '^GSPC', model: 'ridge', horizon: 1, actor: 'api' } };
    expect(describeFlowRun(run, train)).toBe('^GSPC · ridge · 1d · by api');
    expect(describeFlowRun({ parameters: { limit: 5 } })).toBe('limit 5');
  });

  it('fills what the run left out from the flow defaults', () => {
    expect(describeFlowRun({ parameters: { ticker: 'AAPL' } }, train)).toBe('AAPL · ridge · 1d');
  });

  it('names the tickers of an ETL run, or its market when it names none', () => {
    expect(describeFlowRun({ parameters: { tickers: ['AAPL', 'TSM'] } }, etl)).toBe('AAPL, TSM');
    expect(describeFlowRun({ parameters: { market: 'TW' } }, etl)).toBe('TW market');
    expect(describeFlowRun({ parameters: {} }, etl)).toBe('ALL market');
  });

  it('shortens a long list and shows a switch only when the run set it', () => {
    const run = { parameters: { tickers: ['A', 'B', 'C', 'D', 'E'], full: true, snapshot: true } };
    expect(describeFlowRun(run, etl)).toBe('A, B, C +2 · full history');
  });

  it('names the recipe a run trains from', () => {
    const run = {
      parameters: { ticker: '^GSPC', model: null, horizon: 1, recipe: 'ridge-daily@2' },
    };
    expect(describeFlowRun(run, train)).toBe('^GSPC · recipe ridge-daily@2 · 1d');
  });

  it("speaks the reader's language", async () => {
    await i18n.changeLanguage('zh-TW');
    expect(describeFlowRun({ parameters: { market: 'TW' } }, etl)).toBe('台股市場');
    expect(describeFlowRun({ parameters: { ticker: 'AAPL', horizon: 5 } }, train)).toBe(
      'AAPL · 嶺迴歸 · 5 日',
    );
  });

  it('lists the horizons of a fan-out run and is empty for a run without parameters', () => {
    const run = { parameters: { models: ['ridge', 'naive'], horizons: [1, 20] } };
    expect(describeFlowRun(run)).toBe('ridge, naive · 1d, 20d');
    expect(describeFlowRun({ parameters: {} })).toBe('');
  });
});

describe('isEnded', () => {
  it('treats a crashed run as not ended, since it is retried', () => {
    expect(isEnded('Completed')).toBe(true);
    expect(isEnded('Cancelled')).toBe(true);
    expect(isEnded('Crashed')).toBe(false);
    expect(isEnded('Running')).toBe(false);
  });
});
