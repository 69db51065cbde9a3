// Predictions: the forecast log (what was served, and how it turned out once the target date's bar came), filtered, with CSV export.
import { ApiError, HORIZONS, type ServedPrediction } from '@stockops/api';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner, PageShell, queryErrors } from '../components';
import { formatDay, formatPercent, formatPrice, queries, toCsv } from '../lib';

const PAGE = 200;

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** The forecast log's columns as exported: the same names as the API's fields. */
export function forecastLogCsv(rows: readonly ServedPrediction[]): string {
  return toCsv(
    [
      'ticker',
      'horizon',
      'asOf',
      'targetDate',
      'model',
      'version',
      'kind',
      'predictedClose',
      'lower80',
      'upper80',
      'lower95',
      'upper95',
      'actualClose',
      'error',
      'held80',
      'held95',
      'serveCount',
    ],
    rows.map((r) => {
      const band = (l: number) => r.interval.find((i) => i.level === l);
      const held = (l: number) => r.actual?.intervals.find((i) => i.level === l)?.held;
      return [
        r.ticker,
        r.horizon,
        r.asOf,
        r.targetDate,
        r.model.name,
        r.model.version,
        r.model.kind,
        r.predictedClose,
        band(0.8)?.lower,
        band(0.8)?.upper,
        band(0.95)?.lower,
        band(0.95)?.upper,
        r.actual?.close,
        r.actual?.error,
        held(0.8),
        held(0.95),
        r.serveCount,
      ];
    }),
  );
}

export function PredictionsPage() {
  const { t } = useTranslation();
  const tickers = useQuery(queries.tickers());
  const [ticker, setTicker] = useState('');
  const [horizon, setHorizon] = useState('');
  const [model, setModel] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const horizonValue = HORIZONS.find((h) => String(h) === horizon);
  const filter = {
    ...(ticker ? { ticker } : {}),
    ...(horizonValue === undefined ? {} : { horizon: horizonValue }),
    ...(model ? { model } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(cursor ? { cursor } : {}),
    limit: PAGE,
  };
  const log = useQuery(queries.forecastLog(filter));
  const missing = log.error instanceof ApiError && log.error.status === 404;
  const rows = log.data?.items ?? [];
  const messages = missing ? [] : queryErrors([[t('nav.predictions'), log]]);
  const held = (r: ServedPrediction, level: number) => {
    const v = r.actual?.intervals.find((i) => i.level === level)?.held;
    return v === undefined ? '—' : v ? t('predictions.yes') : t('predictions.no');
  };
  const reset = () => {
    setCursor(undefined);
  };
  return (
    <PageShell title={t('nav.predictions')}>
      <ErrorBanner messages={messages} />
      <section className="panel mlops-panel" aria-labelledby="log-title">
        <div className="panel-head">
          <h2 id="log-title">{t('predictions.title')}</h2>
          <button
            type="button"
            className="secondary"
            disabled={rows.length === 0}
            onClick={() => {
              download('stockops-forecast-log.csv', forecastLogCsv(rows));
            }}
          >
            {t('predictions.export')}
          </button>
        </div>
        <p className="hint">{t('predictions.intro')}</p>
        <form
          className="promote-form filters"
          aria-label={t('predictions.filters')}
          onSubmit={(e) => {
            e.preventDefault();
          }}
        >
          <label htmlFor="log-ticker">
            <span>{t('common.ticker')}</span>
            <select
              id="log-ticker"
              value={ticker}
              onChange={(e) => {
                setTicker(e.target.value);
                reset();
              }}
            >
              <option value="">{t('predictions.all')}</option>
              {(tickers.data ?? []).map((x) => (
                <option key={x.symbol} value={x.symbol}>
                  {x.symbol}
                </option>
              ))}
            </select>
          </label>
          <label htmlFor="log-horizon">
            <span>{t('common.horizon')}</span>
            <select
              id="log-horizon"
              value={horizon}
              onChange={(e) => {
                setHorizon(e.target.value);
                reset();
              }}
            >
              <option value="">{t('predictions.all')}</option>
              {HORIZONS.map((h) => (
                <option key={h} value={h}>
                  {t('common.horizonShort', { h })}
                </option>
              ))}
            </select>
          </label>
          <label htmlFor="log-model">
            <span>{t('common.model')}</span>
            <input
              id="log-model"
              value={model}
              placeholder={t('predictions.modelPlaceholder')}
              onChange={(e) => {
                setModel(e.target.value.trim());
                reset();
              }}
            />
          </label>
          <label htmlFor="log-from">
            <span>{t('predictions.from')}</span>
            <input
              id="log-from"
              type="date"
              value={from}
              onChange={(e) => {
                setFrom(e.target.value);
                reset();
              }}
            />
          </label>
          <label htmlFor="log-to">
            <span>{t('predictions.to')}</span>
            <input
              id="log-to"
              type="date"
              value={to}
              onChange={(e) => {
                setTo(e.target.value);
                reset();
              }}
            />
          </label>
        </form>
        {missing ? (
          <p className="empty" data-testid="log-unavailable">
            {t('predictions.unavailable')}
          </p>
        ) : log.isPending ? (
          <p className="empty">{t('common.loading')}</p>
        ) : rows.length === 0 ? (
          <p className="empty">{t('predictions.none')}</p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table className="data-table" data-testid="log-table">
              <thead>
                <tr>
                  <th scope="col">{t('predictions.asOf')}</th>
                  <th scope="col">{t('predictions.target')}</th>
                  <th scope="col">{t('common.ticker')}</th>
                  <th scope="col">{t('common.horizon')}</th>
                  <th scope="col">{t('common.model')}</th>
                  <th scope="col">{t('predictions.predicted')}</th>
                  <th scope="col">{t('predictions.band80')}</th>
                  <th scope="col">{t('predictions.actual')}</th>
                  <th scope="col">{t('predictions.error')}</th>
                  <th scope="col">{t('predictions.held80')}</th>
                  <th scope="col">{t('predictions.held95')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const band = r.interval.find((i) => i.level === 0.8);
                  return (
                    <tr
                      key={`${r.ticker}:${r.horizon}:${r.asOf}:${r.model.name}:${r.model.version}`}
                    >
                      <td>{formatDay(r.asOf)}</td>
                      <td>{formatDay(r.targetDate)}</td>
                      <td>{r.ticker}</td>
                      <td>{t('common.horizonShort', { h: r.horizon })}</td>
                      <td>
                        {t(`models.kinds.${r.model.kind}`, { defaultValue: r.model.kind })} v
                        {r.model.version}
                      </td>
                      <td>{formatPrice(r.predictedClose)}</td>
                      <td>
                        {band ? `${formatPrice(band.lower)} – ${formatPrice(band.upper)}` : '—'}
                      </td>
                      <td>
                        {r.actual === null ? t('predictions.pending') : formatPrice(r.actual.close)}
                      </td>
                      <td>{formatPercent(r.actual?.returnError, 2, true)}</td>
                      <td>{held(r, 0.8)}</td>
                      <td>{held(r, 0.95)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {log.data?.nextCursor && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setCursor(log.data.nextCursor ?? undefined);
            }}
          >
            {t('predictions.older')}
          </button>
        )}
      </section>
    </PageShell>
  );
}
