// Monitoring: per ticker and horizon, realised skill and coverage of the served forecasts over time beside naive,
// the latest drift report per feature (test, statistic, threshold, verdict) with the reference vs current histogram
// of a chosen feature, the retrain policy's decisions, open alerts (acknowledge) and promotions held for approval.
import {
  HORIZONS,
  type Alert,
  type HorizonValue,
  type MonitoringReportView,
  type RealisedPointView,
} from '@stockops/api';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ApiKeyField,
  DateChart,
  ErrorBanner,
  PageShell,
  queryErrors,
  TickerSelect,
  type DateSeries,
} from '../components';
import { useAckAlert, useSettleApproval, useTickerChoice } from '../hooks';
import {
  describeError,
  formatCount,
  formatDay,
  formatMetric,
  formatPercent,
  formatTime,
  queries,
} from '../lib';

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2'];
const NAIVE = '#9c9c9c';

function RealisedSection({ points }: { points: readonly RealisedPointView[] }) {
  const { t } = useTranslation();
  const versions = [...new Set(points.map((p) => p.version))].sort((a, b) => a - b);
  const skill: DateSeries[] = [
    ...versions.map((v, i) => ({
      name: t('monitoring.version', { v }),
      color: COLORS[i % COLORS.length] ?? NAIVE,
      points: points.filter((p) => p.version === v).map((p) => [p.to, p.skill] as const),
    })),
    {
      name: t('monitoring.naive'),
      color: NAIVE,
      dashed: true,
      points: points.map((p) => [p.to, 0] as const),
    },
  ];
  const levels = [...new Set(points.flatMap((p) => Object.keys(p.coverage)))].sort(
    (a, b) => Number(a) - Number(b),
  );
  const coverage: DateSeries[] = levels.flatMap((level, i) => [
    {
      name: t('monitoring.coverageLevel', { level }),
      color: COLORS[i % COLORS.length] ?? NAIVE,
      points: points.flatMap((p) => {
        const c = p.coverage[level];
        return c === undefined ? [] : [[p.to, c] as const];
      }),
    },
    {
      name: t('monitoring.nominalLevel', { level }),
      color: COLORS[i % COLORS.length] ?? NAIVE,
      dashed: true,
      points: points.map((p) => [p.to, Number(level) / 100] as const),
    },
  ]);
  const latest = points[0];
  return (
    <section className="panel mlops-panel" aria-labelledby="realised-title">
      <h2 id="realised-title">{t('monitoring.realised')}</h2>
      <p className="hint">{t('monitoring.realisedIntro')}</p>
      {points.length === 0 ? (
        <p className="empty" data-testid="realised-none">
          {t('monitoring.noRealised')}
        </p>
      ) : (
        <>
          <div className="monitoring-charts">
            <DateChart
              title={t('monitoring.skillChart')}
              series={skill}
              format={(v) => formatPercent(v, 1, true)}
              testId="skill-chart"
            />
            <DateChart
              title={t('monitoring.coverageChart')}
              series={coverage}
              format={(v) => formatPercent(v, 0)}
              testId="coverage-chart"
            />
          </div>
          {latest && (
            <div className="table-wrap" tabIndex={0}>
              <table className="data-table" data-testid="realised-table">
                <thead>
                  <tr>
                    <th scope="col">{t('monitoring.windowEnd')}</th>
                    <th scope="col">{t('common.model')}</th>
                    <th scope="col">{t('monitoring.matured')}</th>
                    <th scope="col">{t('monitoring.rmse')}</th>
                    <th scope="col">{t('monitoring.rmseNaive')}</th>
                    <th scope="col">{t('monitoring.skill')}</th>
                    <th scope="col">{t('monitoring.direction')}</th>
                    <th scope="col">{t('monitoring.upRate')}</th>
                    {levels.map((l) => (
                      <th scope="col" key={l}>
                        {t('monitoring.coverageLevel', { level: l })}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {points.slice(0, 10).map((p) => (
                    <tr key={`${p.version}:${p.to}`}>
                      <td>{formatDay(p.to)}</td>
                      <td>{t('monitoring.version', { v: p.version })}</td>
                      <td>{formatCount(p.matured)}</td>
                      <td>{formatMetric(p.rmse, 4)}</td>
                      <td>{formatMetric(p.rmseNaive, 4)}</td>
                      <td className={p.skill < 0 ? 'worse-than-naive' : undefined}>
                        {formatPercent(p.skill, 1, true)}
                      </td>
                      <td>{formatPercent(p.directionAccuracy, 1)}</td>
                      <td>{formatPercent(p.upRate, 1)}</td>
                      {levels.map((l) => (
                        <td key={l}>{formatPercent(p.coverage[l], 1)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function Histogram({ report, feature }: { report: MonitoringReportView; feature: string }) {
  const { t } = useTranslation();
  const h = report.histograms[feature];
  if (!h || h.reference.length === 0) {
    return <p className="muted small">{t('monitoring.noHistogram')}</p>;
  }
  const W = 320;
  const H = 110;
  const max = Math.max(...h.reference, ...h.current, 1e-9);
  const bw = W / h.reference.length;
  const first = h.edges[0];
  const last = h.edges[h.edges.length - 1];
  return (
    <figure
      className="live-chart date-chart"
      aria-label={t('monitoring.histogramOf', { feature })}
      data-testid="histogram"
    >
      <figcaption>
        <span>{t('monitoring.histogramOf', { feature })}</span>
        <span className="legend">
          <span style={{ color: COLORS[0] }}>
            <span
              className="swatch swatch-bar"
              style={{ borderColor: COLORS[0] }}
              aria-hidden="true"
            />
            {t('monitoring.reference')}
          </span>
          <span style={{ color: COLORS[1] }}>
            <span
              className="swatch swatch-bar"
              style={{ borderColor: COLORS[1] }}
              aria-hidden="true"
            />
            {t('monitoring.current')}
          </span>
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={t('monitoring.histogramOf', { feature })}
      >
        {h.reference.map((r, i) => (
          <g key={i}>
            <rect
              x={i * bw + 1}
              width={bw / 2 - 1}
              y={H - (r / max) * H}
              height={(r / max) * H}
              fill={COLORS[0]}
            />
            <rect
              x={i * bw + bw / 2}
              width={bw / 2 - 1}
              y={H - ((h.current[i] ?? 0) / max) * H}
              height={((h.current[i] ?? 0) / max) * H}
              fill={COLORS[1]}
            />
          </g>
        ))}
      </svg>
      <div className="live-chart-axis">
        <span>{first === undefined ? '' : formatMetric(first, 3)}</span>
        <span>{last === undefined ? '' : formatMetric(last, 3)}</span>
      </div>
    </figure>
  );
}

function DriftSection({ reportId }: { reportId: number | undefined }) {
  const { t } = useTranslation();
  const report = useQuery({
    ...queries.monitoringReport(reportId ?? 0),
    enabled: reportId !== undefined,
  });
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const r = report.data;
  const columns = Object.entries(r?.features?.columns ?? {});
  const feature = picked !== undefined && r?.histograms[picked] ? picked : columns[0]?.[0];
  return (
    <section className="panel mlops-panel" aria-labelledby="drift-title">
      <h2 id="drift-title">{t('monitoring.drift')}</h2>
      {reportId === undefined ? (
        <p className="empty">{t('monitoring.noReports')}</p>
      ) : !r ? (
        <p className="empty">{t('common.loading')}</p>
      ) : (
        <>
          <p data-testid="drift-summary">
            {r.featureDrift ? (
              <span
                className={r.featureDrift.drift ? 'state state-Failed' : 'state state-Completed'}
              >
                {r.featureDrift.drift ? t('monitoring.drifted') : t('monitoring.noDrift')}
              </span>
            ) : (
              <span className="state">
                {t(`monitoring.status.${r.status}`, { defaultValue: r.status })}
              </span>
            )}{' '}
            {r.featureDrift
              ? t('monitoring.driftShare', {
                  drifted: r.featureDrift.nDrifted,
                  tested: r.featureDrift.nTested,
                  share: formatPercent(r.featureDrift.share, 0),
                  threshold: formatPercent(r.featureDrift.threshold, 0),
                })
              : r.message}
          </p>
          <p className="hint">
            {t('monitoring.window', {
              from: r.window.from === '' ? '—' : formatDay(r.window.from),
              to: r.window.to === '' ? '—' : formatDay(r.window.to),
              rows: r.window.rows,
              version: r.version,
              at: formatTime(r.createdAt),
            })}
          </p>
          {columns.length > 0 && (
            <div className="drift-grid">
              <div className="table-wrap drift-table-wrap" tabIndex={0}>
                <table className="data-table" data-testid="drift-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('monitoring.feature')}</th>
                      <th scope="col">{t('monitoring.test')}</th>
                      <th scope="col">{t('monitoring.statistic')}</th>
                      <th scope="col">{t('monitoring.pValue')}</th>
                      <th scope="col">{t('monitoring.threshold')}</th>
                      <th scope="col">{t('monitoring.verdict')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {columns.map(([name, v]) => (
                      <tr key={name} className={name === feature ? 'selected' : undefined}>
                        <td>
                          <button
                            type="button"
                            className="link-button"
                            aria-pressed={name === feature}
                            onClick={() => {
                              setPicked(name);
                            }}
                          >
                            {name}
                          </button>
                        </td>
                        {v.status === 'tested' ? (
                          <>
                            <td>{t(`monitoring.tests.${v.result.test}`)}</td>
                            <td>
                              {typeof v.result.statistic === 'number'
                                ? formatMetric(v.result.statistic, 4)
                                : '—'}
                            </td>
                            <td>
                              {typeof v.result.pValue === 'number'
                                ? formatMetric(v.result.pValue, 3)
                                : '—'}
                            </td>
                            <td>{formatMetric(v.result.threshold, 3)}</td>
                            <td>
                              <span
                                className={
                                  v.result.drift ? 'state state-Failed' : 'state state-Completed'
                                }
                              >
                                {v.result.drift ? t('monitoring.drifted') : t('monitoring.noDrift')}
                              </span>
                            </td>
                          </>
                        ) : (
                          <td colSpan={5} className="muted">
                            {t('monitoring.notEnough', {
                              nRef: v.nRef,
                              nCur: v.nCur,
                              min: v.minSamples,
                            })}
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {feature !== undefined && <Histogram report={r} feature={feature} />}
            </div>
          )}
        </>
      )}
    </section>
  );
}

function Decisions({ model }: { model: string }) {
  const { t } = useTranslation();
  const decisions = useQuery(queries.retrainDecisions(model));
  const list = decisions.data ?? [];
  return (
    <section className="panel mlops-panel" aria-labelledby="decisions-title">
      <h2 id="decisions-title">{t('monitoring.decisions')}</h2>
      {list.length === 0 ? (
        <p className="empty">
          {decisions.isPending ? t('common.loading') : t('monitoring.noDecisions')}
        </p>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table className="data-table" data-testid="decisions-table">
            <thead>
              <tr>
                <th scope="col">{t('monitoring.decidedAt')}</th>
                <th scope="col">{t('common.model')}</th>
                <th scope="col">{t('monitoring.retrain')}</th>
                <th scope="col">{t('monitoring.rule')}</th>
                <th scope="col">{t('monitoring.suppressedBy')}</th>
                <th scope="col">{t('monitoring.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr key={d.id}>
                  <td>{formatTime(d.decidedAt)}</td>
                  <td>{d.version === null ? '—' : t('monitoring.version', { v: d.version })}</td>
                  <td>{d.retrain ? t('monitoring.yes') : t('monitoring.no')}</td>
                  <td>{d.rule ? t(`monitoring.rules.${d.rule}`) : '—'}</td>
                  <td>{d.suppressedBy ? t(`monitoring.suppressions.${d.suppressedBy}`) : '—'}</td>
                  <td className="small">{d.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AlertRow({ a }: { a: Alert }) {
  const { t } = useTranslation();
  const ack = useAckAlert();
  return (
    <li className={`alert-item severity-${a.severity}`} data-testid="alert">
      <span className={`state ${a.state === 'active' ? 'state-Failed' : 'state-Queued'}`}>
        {t(`monitoring.alertStates.${a.state}`)}
      </span>{' '}
      <strong>{t(`monitoring.alertRules.${a.rule}`)}</strong> {a.message}{' '}
      <span className="muted small">{formatTime(a.raisedAt)}</span>{' '}
      {a.state === 'active' && (
        <button
          type="button"
          className="secondary"
          disabled={ack.isPending}
          onClick={() => {
            ack.mutate(a.id);
          }}
        >
          {t('monitoring.ack')}
        </button>
      )}
      {a.acknowledgedBy && (
        <span className="muted small">{t('monitoring.ackedBy', { by: a.acknowledgedBy })}</span>
      )}
      {ack.isError && (
        <span className="form-error" role="status">
          {describeError(ack.error).message}
        </span>
      )}
    </li>
  );
}

function AlertsAndApprovals() {
  const { t } = useTranslation();
  const alerts = useQuery(queries.alertList('open'));
  const approvals = useQuery(queries.pendingApprovals());
  const settle = useSettleApproval();
  const list = alerts.data ?? [];
  const held = approvals.data ?? [];
  return (
    <section className="panel mlops-panel" aria-labelledby="alerts-title">
      <div className="panel-head">
        <h2 id="alerts-title">{t('monitoring.alerts')}</h2>
        <ApiKeyField />
      </div>
      {list.length === 0 ? (
        <p className="empty">{alerts.isPending ? t('common.loading') : t('monitoring.noAlerts')}</p>
      ) : (
        <ul className="alert-list" data-testid="alerts-list">
          {list.map((a) => (
            <AlertRow key={a.id} a={a} />
          ))}
        </ul>
      )}
      <h3>{t('monitoring.approvals')}</h3>
      {held.length === 0 ? (
        <p className="muted">{t('monitoring.noApprovals')}</p>
      ) : (
        <ul className="alert-list" data-testid="approvals-list">
          {held.map((a) => (
            <li key={a.id}>
              <strong>
                {a.model} {t('monitoring.version', { v: a.version })}
              </strong>{' '}
              <span className="small">{a.gateDecision}</span>{' '}
              <span className="muted small">
                {t('monitoring.expires', { at: formatTime(a.expiresAt) })}
              </span>{' '}
              <button
                type="button"
                className="primary"
                disabled={settle.isPending}
                onClick={() => {
                  settle.mutate({ id: a.id, approve: true });
                }}
              >
                {t('monitoring.approve')}
              </button>{' '}
              <button
                type="button"
                className="secondary"
                disabled={settle.isPending}
                onClick={() => {
                  settle.mutate({ id: a.id, approve: false });
                }}
              >
                {t('monitoring.reject')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {settle.isError && (
        <p className="form-error" role="status">
          {describeError(settle.error).message}
        </p>
      )}
    </section>
  );
}

export function MonitoringPage() {
  const { t } = useTranslation();
  const [requested, setRequested] = useState<string | undefined>(undefined);
  const [horizon, setHorizon] = useState<HorizonValue>(1);
  const { symbol } = useTickerChoice(requested);
  const ticker = symbol ?? '';
  const reports = useQuery({
    ...queries.monitoringReports(ticker, horizon),
    enabled: ticker !== '',
  });
  const realised = useQuery({ ...queries.realised(ticker, horizon), enabled: ticker !== '' });
  const messages = queryErrors([
    [t('monitoring.drift'), reports],
    [t('monitoring.realised'), realised],
  ]);
  // The newest report with a verdict, else the newest at all (it says why there is none).
  const latest = reports.data?.find((r) => r.status === 'ok') ?? reports.data?.[0];
  return (
    <PageShell
      title={t('nav.monitoring')}
      actions={
        <div className="page-actions">
          <TickerSelect value={symbol} onChange={setRequested} testId="monitoring-ticker" />
          <label className="ticker-picker">
            <span className="ticker-label">{t('common.horizon')}</span>
            <select
              data-testid="monitoring-horizon"
              value={horizon}
              onChange={(e) => {
                const h = HORIZONS.find((x) => String(x) === e.target.value);
                if (h !== undefined) {
                  setHorizon(h);
                }
              }}
            >
              {HORIZONS.map((h) => (
                <option key={h} value={h}>
                  {t('common.horizonShort', { h })}
                </option>
              ))}
            </select>
          </label>
        </div>
      }
    >
      <ErrorBanner messages={messages} />
      <RealisedSection points={realised.data ?? []} />
      <DriftSection reportId={latest?.id} />
      {ticker !== '' && <Decisions model={`${ticker}.h${horizon}`} />}
      <AlertsAndApprovals />
    </PageShell>
  );
}
