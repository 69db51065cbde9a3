// The viewer page: ticker picker, price chart with forecast, and the prediction card.
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  fetchHistory,
  fetchPrediction,
  fetchTickers,
  type Bar,
  type Horizon,
  type TickerSummary,
} from './api';
import { chartInterval, cleanBars, type RangeKey } from './lib/chart-data';
import { ErrorBanner, type BannerMessage } from './error-banner';
import { ExperimentsPage } from './experiments-page';
import { fetchModels } from './mlops-api';
import { ModelsPage } from './models-page';
import { PipelinesPage } from './pipelines-page';
import { TopNav, usePath } from './nav';
import { formatCount, formatDay, formatPercent, formatPrice } from './lib/format';
import { CHART_COLORS, PriceChart } from './price-chart';
import { PredictionCard } from './prediction-card';
import { RangeButtons } from './range-buttons';
import { useApi, type ApiState } from './use-api';

const NO_BARS: readonly Bar[] = [];

function tickerFromUrl(): string | undefined {
  const value = new URLSearchParams(window.location.search).get('ticker');
  return value === null || value === '' ? undefined : value;
}

/** Collects the failures worth showing; each names the part of the page it affects. */
function bannerMessages(
  tickers: ApiState<TickerSummary[]>,
  history: ApiState<unknown>,
  prediction: ApiState<unknown>,
  notices: readonly BannerMessage[],
): BannerMessage[] {
  const out: BannerMessage[] = [...notices];
  const add = (source: string, state: ApiState<unknown>) => {
    if (state.status === 'error') {
      out.push({ source, code: state.code, message: state.message });
    }
  };
  add('Tickers', tickers);
  add('Price history', history);
  add('Forecast', prediction);
  return out;
}

function Logo() {
  return (
    <svg className="logo" viewBox="0 0 16 16" aria-hidden="true">
      <rect width="16" height="16" rx="3" />
      <path d="M2 12l4-4 3 2 5-6" />
    </svg>
  );
}

function Quote({ symbol, bars, hovered }: { symbol: string; bars: readonly Bar[]; hovered?: Bar }) {
  const last = bars.at(-1);
  const prev = bars.at(-2);
  const shown = hovered ?? last;
  if (shown === undefined) {
    return (
      <div className="quote">
        <h1 className="quote-symbol">{symbol}</h1>
      </div>
    );
  }
  // The day's change is only meaningful for the latest bar; a hovered bar shows its OHLC instead.
  const change = !hovered && prev ? shown.close - prev.close : undefined;
  const changeClass = change === undefined ? '' : change >= 0 ? 'up' : 'down';
  return (
    <div className="quote">
      <h1 className="quote-symbol">{symbol}</h1>
      <span className="quote-price">{formatPrice(shown.close)}</span>
      {change !== undefined && prev && (
        <span className={`quote-change ${changeClass}`}>
          {change >= 0 ? '+' : '−'}
          {formatPrice(Math.abs(change))} ({formatPercent(change / prev.close, 2, true)})
        </span>
      )}
      <span className="quote-date">{formatDay(shown.date)}</span>
      {hovered && (
        <span className="quote-ohlc">
          O {formatPrice(hovered.open)} H {formatPrice(hovered.high)} L {formatPrice(hovered.low)}
        </span>
      )}
    </div>
  );
}

/** Client-side routes; each page is one entry in nav.tsx's NAV_PAGES and one branch here. */
export function App() {
  const path = usePath();
  if (path.startsWith('/experiments')) {
    return <ExperimentsPage />;
  }
  if (path.startsWith('/models')) {
    return <ModelsPage />;
  }
  if (path.startsWith('/pipelines')) {
    return <PipelinesPage />;
  }
  return <ForecastPage />;
}

function ForecastPage() {
  const [requested, setRequested] = useState<string | undefined>(tickerFromUrl);
  const [horizon, setHorizon] = useState<Horizon>(1);
  const [range, setRange] = useState<RangeKey>('6M');
  const [hovered, setHovered] = useState<Bar | undefined>(undefined);

  useEffect(() => {
    const onPop = () => {
      setRequested(tickerFromUrl());
    };
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
    };
  }, []);

  const tickers = useApi('tickers', fetchTickers);
  const models = useApi('models', fetchModels);
  const list = tickers.status === 'ok' ? tickers.data : undefined;
  const known = list?.some((t) => t.symbol === requested) ?? false;
  // Without a ticker in the URL, open on one that has a champion to forecast with (the longest such
  // history), rather than on whichever sorts first; the list alone decides once models have failed to load.
  const served = new Set(
    models.status === 'ok'
      ? models.data
          .filter((m) => m.aliases.champion !== undefined)
          .map((m) => m.name.replace(/\.h\d+$/, ''))
      : [],
  );
  const fallback =
    models.status === 'loading'
      ? undefined
      : ([...(list ?? [])].filter((t) => served.has(t.symbol)).sort((a, b) => b.rows - a.rows)[0]
          ?.symbol ?? list?.[0]?.symbol);
  const symbol = known ? requested : fallback;

  const history = useApi(
    symbol,
    symbol === undefined ? undefined : (signal) => fetchHistory(symbol, signal),
  );
  const prediction = useApi(
    symbol === undefined ? undefined : `${symbol}|${String(horizon)}`,
    symbol === undefined ? undefined : (signal) => fetchPrediction(symbol, horizon, signal),
  );

  const historyData = history.status === 'ok' ? history.data : undefined;
  const bars = useMemo(() => (historyData ? cleanBars(historyData.bars) : NO_BARS), [historyData]);
  const predictionData = prediction.status === 'ok' ? prediction.data : undefined;
  const predictionBand = predictionData ? chartInterval(predictionData.intervals) : undefined;

  const notices = useMemo<BannerMessage[]>(() => {
    if (!list) {
      return [];
    }
    if (list.length === 0) {
      return [
        {
          source: 'Tickers',
          code: 'NO_TICKERS',
          message: 'The server has no tickers yet; load price data and train a model first.',
        },
      ];
    }
    if (requested !== undefined && !known) {
      return [
        {
          source: 'Address bar',
          code: 'UNKNOWN_TICKER',
          message: `"${requested}" is not a ticker this server knows; showing ${symbol ?? 'none'}.`,
        },
      ];
    }
    return [];
  }, [list, requested, known, symbol]);

  const onTickerChange = useCallback((next: string) => {
    setRequested(next);
    setHovered(undefined);
    const url = new URL(window.location.href);
    url.searchParams.set('ticker', next);
    window.history.pushState(null, '', url);
  }, []);

  const selected = list?.find((t) => t.symbol === symbol);
  const messages = bannerMessages(tickers, history, prediction, notices);
  const chartLoading = history.status === 'loading' || tickers.status === 'loading';

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <Logo />
          <span className="brand-name">stockops</span>
          <span className="brand-tag">forecast viewer</span>
          <TopNav />
        </div>
        <label className="ticker-picker">
          <span className="ticker-label">Ticker</span>
          <select
            data-testid="ticker-select"
            value={symbol ?? ''}
            disabled={!list || list.length === 0}
            onChange={(e) => {
              onTickerChange(e.target.value);
            }}
          >
            {!list && (
              <option value="">{tickers.status === 'error' ? 'Unavailable' : 'Loading…'}</option>
            )}
            {list?.map((t) => (
              <option key={t.symbol} value={t.symbol}>
                {t.symbol}
              </option>
            ))}
          </select>
        </label>
      </header>

      <ErrorBanner messages={messages} />

      <main className="layout">
        <section className="panel chart-panel" aria-label="Price history">
          <div className="chart-head">
            <Quote symbol={symbol ?? '—'} bars={bars} hovered={hovered} />
            <RangeButtons value={range} onChange={setRange} />
          </div>
          <div className="chart-frame">
            <PriceChart
              bars={bars}
              prediction={predictionData}
              range={range}
              onHover={setHovered}
            />
            {chartLoading ? (
              <div className="chart-overlay" role="status">
                <span className="spinner" aria-hidden="true" /> Loading prices…
              </div>
            ) : (
              bars.length === 0 && (
                <div className="chart-overlay" role="status">
                  No price history to show.
                </div>
              )
            )}
          </div>
          <div className="chart-foot">
            <ul className="legend" aria-label="Legend">
              <li>
                <span className="swatch" style={{ background: CHART_COLORS.close }} /> Close
              </li>
              {predictionData && (
                <li>
                  <span className="swatch dashed" style={{ borderColor: CHART_COLORS.forecast }} />{' '}
                  Forecast ({predictionData.horizon}d)
                </li>
              )}
              {predictionBand && (
                <li>
                  <span
                    className="swatch dashed thin"
                    style={{ borderColor: CHART_COLORS.interval }}
                  />{' '}
                  {Math.round(predictionBand.level * 100)}% interval
                </li>
              )}
            </ul>
            {selected && (
              <span className="data-span">
                {formatCount(selected.rows)} daily bars · {selected.firstDate} → {selected.lastDate}
              </span>
            )}
          </div>
        </section>

        <PredictionCard state={prediction} horizon={horizon} onHorizonChange={setHorizon} />
      </main>

      <footer className="footer">
        Forecasts are statistical estimates from past prices, not investment advice.
      </footer>
    </div>
  );
}
