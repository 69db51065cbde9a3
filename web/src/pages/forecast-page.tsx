// Forecast: the ticker's price chart with the 20-day forecast path and its 80% and 95% bands, the path as a table, the champion of each horizon, and the prediction card.
import type { ApiBar as Bar, HorizonValue as Horizon } from '@stockops/api';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHART_COLORS,
  ErrorBanner,
  HorizonChampions,
  PageShell,
  PathTable,
  PredictionCard,
  PriceChart,
  queryErrors,
  RangeButtons,
  TickerSelect,
  type BannerMessage,
  type PredictionState,
} from '../components';
import { navigate, useFirstStart, useLocation, useTickerChoice } from '../hooks';
import {
  cleanBars,
  formatCount,
  formatDay,
  formatPercent,
  formatPrice,
  queries,
  type RangeKey,
} from '../lib';

const NO_BARS: readonly Bar[] = [];
/** The path drawn and tabled: the longest the server serves (MAX_FORECAST_DAYS). */
const PATH_DAYS = 20;

function tickerFromSearch(search: string): string | undefined {
  const value = new URLSearchParams(search).get('ticker');
  return value === null || value === '' ? undefined : value;
}

function Quote({ symbol, bars, hovered }: { symbol: string; bars: readonly Bar[]; hovered?: Bar }) {
  const { t } = useTranslation();
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
          {t('forecast.ohlc', {
            open: formatPrice(hovered.open),
            high: formatPrice(hovered.high),
            low: formatPrice(hovered.low),
          })}
        </span>
      )}
    </div>
  );
}

export function ForecastPage() {
  const { t } = useTranslation();
  const { search } = useLocation();
  const requested = tickerFromSearch(search);
  const [horizon, setHorizon] = useState<Horizon>(1);
  const [range, setRange] = useState<RangeKey>('6M');
  const [hovered, setHovered] = useState<Bar | undefined>(undefined);

  const tickers = useQuery(queries.tickers());
  const { symbol, unknown } = useTickerChoice(requested);
  const firstStart = useFirstStart();
  const preparing = firstStart === 'pending' || firstStart === 'running';
  const list = tickers.data;

  const history = useQuery({ ...queries.history(symbol ?? ''), enabled: symbol !== undefined });
  const prediction = useQuery({
    ...queries.prediction(symbol ?? '', horizon),
    enabled: symbol !== undefined,
  });
  const forecast = useQuery({
    ...queries.forecast(symbol ?? '', PATH_DAYS),
    enabled: symbol !== undefined,
  });

  const historyData = history.data;
  const bars = useMemo(() => (historyData ? cleanBars(historyData.bars) : NO_BARS), [historyData]);
  const predictionData = prediction.data;
  const forecastData = forecast.data;
  const levels = new Set(forecastData?.path.flatMap((p) => p.interval.map((i) => i.level)));
  // While the first start trains, "no champion yet" is expected, not an error to show.
  const waitingForModel = preparing && prediction.isError;
  const waitingForPath = preparing && forecast.isError;
  const predictionState: PredictionState =
    symbol === undefined
      ? { status: 'idle' }
      : waitingForModel
        ? { status: 'loading', note: t('forecast.trainingFirst') }
        : prediction.isError
          ? { status: 'error', error: prediction.error }
          : predictionData
            ? { status: 'ok', data: predictionData }
            : { status: 'loading' };

  const notices = useMemo<BannerMessage[]>(() => {
    if (list?.length === 0 && !preparing) {
      return [
        {
          source: t('common.tickers'),
          code: 'NO_TICKERS',
          message: t('forecast.noTickers'),
        },
      ];
    }
    if (requested !== undefined && unknown) {
      return [
        {
          source: t('forecast.addressBar'),
          code: 'UNKNOWN_TICKER',
          message: t('forecast.unknownRequested', { requested, shown: symbol ?? '—' }),
        },
      ];
    }
    return [];
  }, [list, requested, unknown, symbol, preparing, t]);

  const onTickerChange = useCallback((next: string) => {
    setHovered(undefined);
    const url = new URL(window.location.href);
    url.searchParams.set('ticker', next);
    navigate(`${url.pathname}${url.search}${url.hash}`);
  }, []);

  const selected = list?.find((t) => t.symbol === symbol);
  const messages = [
    ...notices,
    ...queryErrors([
      [t('common.tickers'), tickers],
      [t('forecast.priceHistory'), history],
      [t('nav.forecast'), waitingForModel ? { error: undefined } : prediction],
      [t('forecast.path'), waitingForPath ? { error: undefined } : forecast],
    ]),
  ];
  const chartLoading = tickers.isPending || (symbol !== undefined && history.isPending);

  return (
    <PageShell
      title={t('nav.forecast')}
      actions={<TickerSelect value={symbol} onChange={onTickerChange} testId="ticker-select" />}
    >
      <ErrorBanner messages={messages} />

      <div className="layout">
        <section className="panel chart-panel" aria-label={t('forecast.priceHistory')}>
          <div className="chart-head">
            <Quote symbol={symbol ?? '—'} bars={bars} hovered={hovered} />
            <RangeButtons value={range} onChange={setRange} />
          </div>
          <div className="chart-frame">
            <PriceChart bars={bars} forecast={forecastData} range={range} onHover={setHovered} />
            {chartLoading ? (
              <div className="chart-overlay" role="status">
                <span className="spinner" aria-hidden="true" /> {t('forecast.loadingPrices')}
              </div>
            ) : (
              bars.length === 0 && (
                <div className="chart-overlay" role="status">
                  {preparing ? (
                    <>
                      <span className="spinner" aria-hidden="true" /> {t('forecast.firstStart')}
                    </>
                  ) : (
                    t('forecast.noHistory')
                  )}
                </div>
              )
            )}
          </div>
          <div className="chart-foot">
            <ul className="legend" aria-label={t('forecast.legend')}>
              <li>
                <span className="swatch" style={{ background: CHART_COLORS.close }} />{' '}
                {t('forecast.close')}
              </li>
              {forecastData && (
                <li>
                  <span className="swatch dashed" style={{ borderColor: CHART_COLORS.forecast }} />{' '}
                  {t('forecast.pathLine', { days: forecastData.days })}
                </li>
              )}
              {levels.has(0.8) && (
                <li>
                  <span className="swatch band" style={{ background: CHART_COLORS.band80 }} />{' '}
                  {t('forecast.intervalLegend', { level: 80 })}
                </li>
              )}
              {levels.has(0.95) && (
                <li>
                  <span className="swatch band" style={{ background: CHART_COLORS.band95 }} />{' '}
                  {t('forecast.intervalLegend', { level: 95 })}
                </li>
              )}
            </ul>
            {selected && (
              <span className="data-span">
                {t('forecast.span', {
                  rows: formatCount(selected.rows),
                  count: selected.rows,
                  from: selected.firstDate,
                  to: selected.lastDate,
                })}
              </span>
            )}
          </div>
        </section>

        <PredictionCard state={predictionState} horizon={horizon} onHorizonChange={setHorizon} />

        {symbol !== undefined && forecastData && (
          <section className="panel path-panel" aria-label={t('forecast.path')}>
            <div className="path-section">
              <h2 className="card-title">{t('forecast.nextDays', { count: forecastData.days })}</h2>
              <p className="note path-note">{t('forecast.pathNote')}</p>
              <PathTable forecast={forecastData} />
            </div>
            <div className="path-section">
              <h2 className="card-title">{t('forecast.championPerHorizon')}</h2>
              <HorizonChampions symbol={symbol} forecast={forecastData} />
            </div>
          </section>
        )}
      </div>
    </PageShell>
  );
}
