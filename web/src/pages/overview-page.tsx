// Overview (the home page): every ticker with its last close, champions per horizon and latest forecast; open alerts; the last ETL and training runs.
import type { OverviewTicker } from '@stockops/api';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { AppLink, ErrorBanner, PageShell, queryErrors, StateBadge } from '../components';
import {
  describeFlowRun,
  formatDay,
  formatPercent,
  formatPrice,
  formatTime,
  pagePath,
  queries,
  type FlowRunState,
} from '../lib';

function TickerCard({ t: ticker }: { t: OverviewTicker }) {
  const { t } = useTranslation();
  const f = ticker.forecast;
  const direction = f === null ? '' : f.predictedReturn >= 0 ? 'up' : 'down';
  return (
    <article className="panel ticker-card" aria-labelledby={`card-${ticker.symbol}`}>
      <header className="ticker-card-head">
        <h2 id={`card-${ticker.symbol}`}>
          <AppLink to={pagePath('forecast', { ticker: ticker.symbol })}>{ticker.symbol}</AppLink>
        </h2>
        <span className="muted small">
          {ticker.exchange} · {ticker.currency}
        </span>
      </header>
      <p className="ticker-card-close">
        <span className="big-number">
          {ticker.lastClose === null ? '—' : formatPrice(ticker.lastClose)}
        </span>{' '}
        <span className="muted small">
          {t('overview.closeOn', { date: formatDay(ticker.lastDate) })}
        </span>
      </p>
      <table className="data-table compact">
        <caption className="sr-only">{t('overview.champions', { symbol: ticker.symbol })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('common.horizon')}</th>
            <th scope="col">{t('overview.champion')}</th>
            <th scope="col">{t('overview.skill')}</th>
          </tr>
        </thead>
        <tbody>
          {ticker.champions.map((c) => (
            <tr key={c.horizon}>
              <td>{t('common.horizonShort', { h: c.horizon })}</td>
              <td>
                {c.champion === null
                  ? t('overview.noChampion')
                  : `${t(`models.kinds.${c.champion.kind}`, { defaultValue: c.champion.kind })} v${c.champion.version}`}
              </td>
              <td
                className={
                  c.champion?.skill === null || c.champion === null
                    ? undefined
                    : c.champion.skill > 0
                      ? 'up'
                      : 'down'
                }
                title={t('overview.skillTitle')}
              >
                {c.champion === null ? '—' : formatPercent(c.champion.skill, 2, true)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="ticker-card-forecast">
        {f === null ? (
          <span className="muted">
            {ticker.forecastError ? ticker.forecastError.message : t('overview.noForecast')}
          </span>
        ) : (
          <>
            <span className="muted small">
              {t('overview.forecastFor', {
                date: formatDay(f.targetDate),
                h: f.horizon,
              })}
            </span>
            <span className="forecast-line">
              <strong>{formatPrice(f.predictedClose)}</strong>{' '}
              <span className={direction}>{formatPercent(f.predictedReturn, 2, true)}</span>
              {f.interval && (
                <span className="muted small">
                  {' '}
                  {t('forecast.interval', {
                    level: Math.round(f.interval.level * 100),
                    lower: formatPrice(f.interval.lower),
                    upper: formatPrice(f.interval.upper),
                  })}
                </span>
              )}
            </span>
          </>
        )}
      </div>
      <footer className="ticker-card-links">
        <AppLink to={pagePath('forecast', { ticker: ticker.symbol })}>
          {t('overview.toForecast')}
        </AppLink>
        <AppLink to={pagePath('datasets', { ticker: ticker.symbol })}>
          {t('overview.toData')}
        </AppLink>
        <AppLink to={pagePath('experiments')}>{t('overview.toExperiments')}</AppLink>
      </footer>
    </article>
  );
}

function Alerts() {
  const { t } = useTranslation();
  const alerts = useQuery(queries.alerts());
  const list = alerts.data;
  return (
    <section className="panel status-card" aria-labelledby="alerts-title" data-testid="alerts">
      <h2 id="alerts-title">{t('overview.alerts')}</h2>
      {alerts.isPending ? (
        <p className="muted">{t('common.loading')}</p>
      ) : list === undefined ? (
        <p className="muted">{t('overview.alertsUnavailable')}</p>
      ) : list.length === 0 ? (
        <p className="muted">{t('overview.noAlerts')}</p>
      ) : (
        <ul className="alert-list">
          {list.map((a) => (
            <li key={a.id}>
              <strong>{a.ticker ?? a.rule}</strong> {a.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function OverviewPage() {
  const { t } = useTranslation();
  const overview = useQuery(queries.overview());
  const flows = useQuery(queries.flows());
  const o = overview.data;
  const trainFlow = flows.data?.find((f) => f.name === 'train');
  const messages = queryErrors([[t('nav.overview'), overview]]);
  const etl = o?.lastEtl;
  const train = o?.lastTraining;
  return (
    <PageShell title={t('nav.overview')}>
      <ErrorBanner messages={messages} />
      <div className="status-grid">
        <section className="panel status-card" aria-labelledby="etl-title">
          <h2 id="etl-title">{t('overview.lastEtl')}</h2>
          {etl ? (
            <>
              <p>
                <span className={`state etl-${etl.status}`}>
                  {t(`datasets.etlStatus.${etl.status}`, { defaultValue: etl.status })}
                </span>{' '}
                <span className="muted small">{formatTime(etl.endedAt ?? etl.startedAt)}</span>
              </p>
              <p className="small">{etl.tickers.join(', ')}</p>
            </>
          ) : (
            <p className="muted">{o ? t('overview.noEtl') : t('common.loading')}</p>
          )}
          <AppLink to={pagePath('datasets')}>{t('overview.toDatasets')}</AppLink>
        </section>
        <section className="panel status-card" aria-labelledby="train-title">
          <h2 id="train-title">{t('overview.lastTraining')}</h2>
          {train ? (
            <>
              <p>
                <StateBadge state={train.state as FlowRunState} />{' '}
                <span className="muted small">{formatTime(train.endedAt ?? train.createdAt)}</span>
              </p>
              <p className="small">{describeFlowRun(train, trainFlow)}</p>
              {train.error && <p className="form-error">{train.error.message}</p>}
            </>
          ) : (
            <p className="muted">{o ? t('overview.noTraining') : t('common.loading')}</p>
          )}
          <AppLink to={pagePath('experiments')}>{t('overview.toExperiments')}</AppLink>{' '}
          <AppLink to={pagePath('flows')}>{t('overview.toFlows')}</AppLink>
        </section>
        <Alerts />
      </div>
      <h2 className="section-heading">{t('overview.tickers')}</h2>
      {o?.tickers.length === 0 && (
        <p className="panel mlops-panel empty">
          {t('overview.noTickers')}{' '}
          <AppLink to={pagePath('datasets')}>{t('overview.addOne')}</AppLink>
        </p>
      )}
      {!o && overview.isPending && <p className="empty">{t('common.loading')}</p>}
      <div className="ticker-grid" data-testid="overview-tickers">
        {o?.tickers.map((x) => (
          <TickerCard key={x.symbol} t={x} />
        ))}
      </div>
    </PageShell>
  );
}
