// Prediction card: the forecast close, the naive baseline it must beat, and how the model scored.
import {
  HORIZONS,
  type HorizonValue as Horizon,
  type ModelMetrics,
  type Prediction,
} from '@stockops/api';
import { useTranslation } from 'react-i18next';
import {
  chartInterval,
  DASH,
  describeError,
  formatDay,
  formatPercent as pct,
  formatPrice,
  formatTradingDays,
} from '../lib';

/** Where the card's forecast stands; `idle` until there is a ticker to forecast. */
export type PredictionState =
  | { status: 'idle' }
  | { status: 'loading'; note?: string }
  | { status: 'error'; error: unknown }
  | { status: 'ok'; data: Prediction };

interface PredictionCardProps {
  state: PredictionState;
  horizon: Horizon;
  onHorizonChange: (horizon: Horizon) => void;
}

function HorizonPicker({ value, onChange }: { value: Horizon; onChange: (h: Horizon) => void }) {
  const { t } = useTranslation();
  return (
    <div className="segmented" role="group" aria-label={t('forecast.horizonGroup')}>
      {HORIZONS.map((h) => (
        <button
          key={h}
          type="button"
          className="segmented-item"
          aria-pressed={h === value}
          data-testid={`horizon-${h}`}
          title={t('forecast.ahead', { days: formatTradingDays(h) })}
          onClick={() => {
            onChange(h);
          }}
        >
          {t('common.horizonShort', { h })}
        </button>
      ))}
    </div>
  );
}

function Scores({ metrics }: { metrics: ModelMetrics }) {
  const { t } = useTranslation();
  const { skill, rmse, rmseNaive, directionAccuracy, upRate, folds, mape } = metrics;
  const skillClass = skill === undefined ? '' : skill > 0 ? 'good' : 'warn';
  return (
    <section className="card-section" aria-label={t('forecast.scores')}>
      <h3 className="section-title">
        {t('forecast.scoresTitle')}
        {folds !== undefined && (
          <span className="section-aside">{t('forecast.folds', { count: folds })}</span>
        )}
      </h3>
      <div className={`skill ${skillClass}`} data-testid="skill">
        <span className="skill-value">{pct(skill, 2, true)}</span>
        <span className="skill-label">{t('forecast.skillLabel')}</span>
      </div>
      <dl className="metrics">
        <div className="metric-row">
          <dt>{t('forecast.rmseReturns')}</dt>
          <dd>
            {pct(rmse, 2)}{' '}
            <span className="vs">{t('forecast.vsNaive', { value: pct(rmseNaive, 2) })}</span>
          </dd>
        </div>
        <div className="metric-row">
          <dt>{t('forecast.direction')}</dt>
          <dd>
            {pct(directionAccuracy, 1)}{' '}
            <span className="vs">{t('forecast.vsAlwaysUp', { value: pct(upRate, 1) })}</span>
          </dd>
        </div>
        {mape !== undefined && (
          <div className="metric-row">
            <dt>{t('forecast.mape')}</dt>
            <dd>{pct(mape, 2)}</dd>
          </div>
        )}
        <div className="metric-row">
          <dt>{t('forecast.foldsLabel')}</dt>
          <dd>{folds ?? DASH}</dd>
        </div>
      </dl>
    </section>
  );
}

function Forecast({ p }: { p: Prediction }) {
  const { t } = useTranslation();
  const direction = p.predictedReturn > 0 ? 'up' : p.predictedReturn < 0 ? 'down' : 'flat';
  const band = chartInterval(p.interval);
  const days = formatTradingDays(p.horizon);
  const walk =
    p.horizon === 1 ? t('forecast.dailyReturns') : t('forecast.hDayReturns', { h: p.horizon });
  return (
    <>
      <div className="headline">
        <div className="headline-label">
          {t('forecast.predictedClose', { date: formatDay(p.targetDate) })}
        </div>
        <div className="headline-price" data-testid="predicted-close">
          {formatPrice(p.predictedClose)}
        </div>
        <div className={`headline-return ${direction}`} data-testid="predicted-return">
          {pct(p.predictedReturn, 2, true)}
          <span className="vs"> {t('forecast.over', { days })}</span>
        </div>
        {band && (
          <div className="headline-band">
            {t('forecast.interval', {
              level: Math.round(band.level * 100),
              lower: formatPrice(band.lower),
              upper: formatPrice(band.upper),
            })}
          </div>
        )}
      </div>

      <dl className="facts">
        <div className="metric-row">
          <dt>
            {t('forecast.lastClose')} <span className="dt-note">{formatDay(p.asOf)}</span>
          </dt>
          <dd>{formatPrice(p.lastClose)}</dd>
        </div>
        <div className="metric-row">
          <dt>
            {t('forecast.naive')} <span className="dt-note">{t('forecast.naiveNote')}</span>
          </dt>
          <dd>{formatPrice(p.baseline.predictedClose)}</dd>
        </div>
      </dl>

      <section className="card-section" aria-label={t('common.model')}>
        <h3 className="section-title">{t('common.model')}</h3>
        <div className="model-version" data-testid="model-version">
          {p.model.name} v{p.model.version} · {p.model.kind}
        </div>
        <p className="served-because" data-testid="served-because">
          {p.model.servedBecause}
        </p>
      </section>

      <Scores metrics={p.model.metrics} />

      <p className="note">
        {t('forecast.randomWalk', { what: walk })}
        {p.model.kind === 'naive' && ` ${t('forecast.naiveServed')}`}
      </p>
    </>
  );
}

function Body({ state }: { state: PredictionState }) {
  const { t } = useTranslation();
  switch (state.status) {
    case 'idle':
      return (
        <div className="placeholder" role="status">
          {t('forecast.pickTicker')}
        </div>
      );
    case 'loading':
      return (
        <div className="placeholder" role="status">
          <span className="spinner" aria-hidden="true" /> {state.note ?? t('forecast.loading')}
        </div>
      );
    case 'error':
      return (
        <div className="placeholder placeholder-error" role="status">
          <span className="placeholder-title">{t('forecast.none')}</span>
          <span>{describeError(state.error).message}</span>
        </div>
      );
    case 'ok':
      return <Forecast p={state.data} />;
  }
}

export function PredictionCard({ state, horizon, onHorizonChange }: PredictionCardProps) {
  const { t } = useTranslation();
  return (
    <aside
      className="panel prediction"
      data-testid="prediction"
      aria-busy={state.status === 'loading'}
      aria-label={t('nav.forecast')}
    >
      <div className="card-head">
        <h2 className="card-title">{t('nav.forecast')}</h2>
        <HorizonPicker value={horizon} onChange={onHorizonChange} />
      </div>
      <Body state={state} />
    </aside>
  );
}
