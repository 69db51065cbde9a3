// Prediction card: the forecast close, the naive baseline it must beat, and how the model scored.
import {
  HORIZONS,
  type HorizonValue as Horizon,
  type ModelMetrics,
  type Prediction,
} from '@stockops/api';
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
  return (
    <div className="segmented" role="group" aria-label="Forecast horizon in trading days">
      {HORIZONS.map((h) => (
        <button
          key={h}
          type="button"
          className="segmented-item"
          aria-pressed={h === value}
          data-testid={`horizon-${h}`}
          title={`${formatTradingDays(h)} ahead`}
          onClick={() => {
            onChange(h);
          }}
        >
          {h}d
        </button>
      ))}
    </div>
  );
}

function Scores({ metrics }: { metrics: ModelMetrics }) {
  const { skill, rmse, rmseNaive, directionAccuracy, upRate, folds, mape } = metrics;
  const skillClass = skill === undefined ? '' : skill > 0 ? 'good' : 'warn';
  return (
    <section className="card-section" aria-label="Walk-forward scores">
      <h3 className="section-title">
        Walk-forward test vs naive
        {folds !== undefined && <span className="section-aside">{folds} folds</span>}
      </h3>
      <div className={`skill ${skillClass}`} data-testid="skill">
        <span className="skill-value">{pct(skill, 2, true)}</span>
        <span className="skill-label">skill (1 − RMSE / RMSE naive)</span>
      </div>
      <dl className="metrics">
        <div className="metric-row">
          <dt>RMSE of returns</dt>
          <dd>
            {pct(rmse, 2)} <span className="vs">vs naive {pct(rmseNaive, 2)}</span>
          </dd>
        </div>
        <div className="metric-row">
          <dt>Direction accuracy</dt>
          <dd>
            {pct(directionAccuracy, 1)} <span className="vs">vs always-up {pct(upRate, 1)}</span>
          </dd>
        </div>
        {mape !== undefined && (
          <div className="metric-row">
            <dt>Price error (MAPE)</dt>
            <dd>{pct(mape, 2)}</dd>
          </div>
        )}
        <div className="metric-row">
          <dt>Folds</dt>
          <dd>{folds ?? DASH}</dd>
        </div>
      </dl>
    </section>
  );
}

function Forecast({ p }: { p: Prediction }) {
  const direction = p.predictedReturn > 0 ? 'up' : p.predictedReturn < 0 ? 'down' : 'flat';
  const band = chartInterval(p.interval);
  const days = formatTradingDays(p.horizon);
  const walk = p.horizon === 1 ? 'Daily returns' : `${p.horizon}-day returns`;
  return (
    <>
      <div className="headline">
        <div className="headline-label">Predicted close · {formatDay(p.targetDate)}</div>
        <div className="headline-price" data-testid="predicted-close">
          {formatPrice(p.predictedClose)}
        </div>
        <div className={`headline-return ${direction}`} data-testid="predicted-return">
          {pct(p.predictedReturn, 2, true)}
          <span className="vs"> over {days}</span>
        </div>
        {band && (
          <div className="headline-band">
            {Math.round(band.level * 100)}% interval {formatPrice(band.lower)} –{' '}
            {formatPrice(band.upper)}
          </div>
        )}
      </div>

      <dl className="facts">
        <div className="metric-row">
          <dt>
            Last close <span className="dt-note">{formatDay(p.asOf)}</span>
          </dt>
          <dd>{formatPrice(p.lastClose)}</dd>
        </div>
        <div className="metric-row">
          <dt>
            Naive baseline <span className="dt-note">tomorrow = today</span>
          </dt>
          <dd>{formatPrice(p.baseline.predictedClose)}</dd>
        </div>
      </dl>

      <section className="card-section" aria-label="Model">
        <h3 className="section-title">Model</h3>
        <div className="model-version" data-testid="model-version">
          {p.model.name} v{p.model.version} · {p.model.kind}
        </div>
        <p className="served-because" data-testid="served-because">
          {p.model.servedBecause}
        </p>
      </section>

      <Scores metrics={p.model.metrics} />

      <p className="note">
        {walk} are close to a random walk; skill near 0 is expected.
        {p.model.kind === 'naive' &&
          ' No trained model has beaten the naive forecast yet, so the naive one is served.'}
      </p>
    </>
  );
}

function Body({ state }: { state: PredictionState }) {
  switch (state.status) {
    case 'idle':
      return (
        <div className="placeholder" role="status">
          Pick a ticker to see its forecast.
        </div>
      );
    case 'loading':
      return (
        <div className="placeholder" role="status">
          <span className="spinner" aria-hidden="true" /> {state.note ?? 'Loading forecast…'}
        </div>
      );
    case 'error':
      return (
        <div className="placeholder placeholder-error" role="status">
          <span className="placeholder-title">No forecast to show</span>
          <span>{describeError(state.error).message}</span>
        </div>
      );
    case 'ok':
      return <Forecast p={state.data} />;
  }
}

export function PredictionCard({ state, horizon, onHorizonChange }: PredictionCardProps) {
  return (
    <aside
      className="panel prediction"
      data-testid="prediction"
      aria-busy={state.status === 'loading'}
      aria-label="Forecast"
    >
      <div className="card-head">
        <h2 className="card-title">Forecast</h2>
        <HorizonPicker value={horizon} onChange={onHorizonChange} />
      </div>
      <Body state={state} />
    </aside>
  );
}
