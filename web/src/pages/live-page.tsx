// Live: every process's CPU, memory, traffic, latency and predictions/s over the last minutes, the predictions
// being served, flow-run state changes and alert toasts, as the WebSocket channels stream them.
import type { LiveEventOf, LiveMessage } from '@stockops/api';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ExternalLink,
  LiveBadge,
  LiveChart,
  PageShell,
  StateBadge,
  type LiveSeries,
} from '../components';
import { useLiveChannel } from '../hooks';
import {
  addNewest,
  addSample,
  formatClock,
  formatPercent,
  formatPrice,
  httpTotals,
  LIVE_WINDOW_MS,
  queries,
  type FlowRunEvent,
  type MetricsSampleEvent,
  type PredictionEvent,
} from '../lib';

/** One colour per process, in the order they were first seen. */
const PALETTE = ['#38bdf8', '#c084fc', '#22c55e', '#f5b041', '#f87171', '#2dd4bf', '#e879f9'];

/** How long an alert toast stays. */
const TOAST_MS = 10_000;

type AlertEvent = LiveEventOf<'alert.raised'> | LiveEventOf<'alert.resolved'>;

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
const perSecond = (v: number) => `${v < 10 ? v.toFixed(1) : v.toFixed(0)}/s`;
const ms = (v: number) => `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ms`;

function ProcessCharts({
  samples,
  now,
}: {
  samples: ReadonlyMap<string, readonly MetricsSampleEvent[]>;
  now: number;
}) {
  const { t } = useTranslation();
  const instances = [...samples.keys()].sort();
  const color = (instance: string) =>
    PALETTE[instances.indexOf(instance) % PALETTE.length] ?? '#fff';
  const lines = (
    pick: (s: MetricsSampleEvent['data']) => number | null,
    extra: Partial<LiveSeries> = {},
  ): LiveSeries[] =>
    instances.map((instance) => ({
      name: instance,
      color: color(instance),
      points: (samples.get(instance) ?? []).flatMap((s) => {
        const v = pick(s.data);
        return v === null ? [] : [[s.data.at, v] as const];
      }),
      ...extra,
    }));
  const charts = [
    {
      title: t('live.charts.cpu'),
      series: lines((s) => s.cpuPercent),
      format: (v: number) => `${v.toFixed(0)} %`,
    },
    { title: t('live.charts.memory'), series: lines((s) => s.rssBytes), format: mb },
    {
      title: t('live.charts.http'),
      series: lines((s) => httpTotals(s).requestsPerSecond),
      format: perSecond,
    },
    {
      title: t('live.charts.latency'),
      series: [
        ...lines((s) => httpTotals(s).p99Ms),
        ...lines((s) => httpTotals(s).p50Ms, { dashed: true }),
      ],
      format: ms,
    },
    {
      title: t('live.charts.predictions'),
      series: lines((s) => s.predictionsPerSecond),
      format: perSecond,
    },
  ];
  if (instances.length === 0) {
    return <p className="empty">{t('live.waiting')}</p>;
  }
  return (
    <>
      <ul className="live-legend" aria-label={t('live.processes')}>
        {instances.map((instance) => {
          const last = samples.get(instance)?.at(-1)?.data;
          return (
            <li key={instance}>
              <span className="swatch" style={{ background: color(instance) }} aria-hidden="true" />
              <span className="mono">{instance}</span>
              {last && (
                <span className="muted small">
                  {' '}
                  {t('live.processLine', {
                    role: last.role,
                    p99: ms(last.eventLoopDelayP99Ms),
                    queue: last.queueDepth ?? '?',
                    sockets: last.wsConnections,
                  })}
                  {last.events.dropped > 0 ? t('live.dropped', { count: last.events.dropped }) : ''}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <div className="live-charts">
        {charts.map((c) => (
          <LiveChart
            key={c.title}
            title={c.title}
            series={c.series}
            now={now}
            windowMs={LIVE_WINDOW_MS}
            format={c.format}
          />
        ))}
      </div>
    </>
  );
}

function PredictionsTable({ rows }: { rows: readonly PredictionEvent[] }) {
  const { t } = useTranslation();
  if (rows.length === 0) {
    return <p className="empty">{t('live.noPredictions')}</p>;
  }
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="live-predictions">
        <thead>
          <tr>
            <th>{t('live.time')}</th>
            <th>{t('live.ticker')}</th>
            <th>{t('live.h')}</th>
            <th>{t('live.target')}</th>
            <th>{t('live.predictedClose')}</th>
            <th>{t('live.return')}</th>
            <th>{t('live.interval80')}</th>
            <th>{t('live.model')}</th>
            <th>{t('live.process')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => {
            const band = e.data.intervals.find((i) => i.level === 0.8);
            return (
              <tr key={e.id}>
                <td className="mono small">{formatClock(e.data.servedAt)}</td>
                <td>{e.data.ticker}</td>
                <td>{e.data.horizon}</td>
                <td className="small">{e.data.targetDate}</td>
                <td className="mono">{formatPrice(e.data.predictedClose)}</td>
                <td className={`mono ${e.data.predictedReturn >= 0 ? 'up' : 'down'}`}>
                  {formatPercent(Math.expm1(e.data.predictedReturn), 2, true)}
                </td>
                <td className="mono small">
                  {band ? `${formatPrice(band.lower)} – ${formatPrice(band.upper)}` : '—'}
                </td>
                <td className="small">
                  v{e.data.model.version} {e.data.model.kind}
                </td>
                <td className="mono small muted">{e.data.instance}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function RunChanges({ rows }: { rows: readonly FlowRunEvent[] }) {
  const { t } = useTranslation();
  if (rows.length === 0) {
    return <p className="empty">{t('live.noRuns')}</p>;
  }
  return (
    <div className="table-wrap">
      <table className="data-table">
        <thead>
          <tr>
            <th>{t('live.time')}</th>
            <th>{t('live.flow')}</th>
            <th>{t('live.state')}</th>
            <th>{t('live.flowRun')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id}>
              <td className="mono small">{formatClock(e.time)}</td>
              <td>{e.data.run.flow}</td>
              <td>
                {e.data.previousState !== null && (
                  <span className="muted small">{e.data.previousState} → </span>
                )}
                <StateBadge state={e.data.run.state} />
              </td>
              <td className="mono small">{e.data.run.id.slice(0, 8)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Toasts({
  alerts,
  onClose,
}: {
  alerts: readonly AlertEvent[];
  onClose: (id: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="toasts" aria-live="polite">
      {alerts.map((a) => (
        <div
          key={a.id}
          className={`toast ${a.type === 'alert.raised' ? `toast-${a.data.severity}` : 'toast-resolved'}`}
          role="alert"
        >
          <strong>
            {a.type === 'alert.raised' ? a.data.rule : t('live.resolved', { rule: a.data.rule })}
          </strong>
          {a.data.ticker !== null && <span className="mono"> {a.data.ticker}</span>}
          <div className="small">{a.data.message}</div>
          <button
            type="button"
            className="toast-close"
            aria-label={t('live.dismiss')}
            onClick={() => {
              onClose(a.id);
            }}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function LivePage() {
  const { t } = useTranslation();
  const health = useQuery(queries.health());
  const [samples, setSamples] = useState<ReadonlyMap<string, readonly MetricsSampleEvent[]>>(
    () => new Map(),
  );
  const [predictions, setPredictions] = useState<readonly PredictionEvent[]>([]);
  const [runs, setRuns] = useState<readonly FlowRunEvent[]>([]);
  const [alerts, setAlerts] = useState<readonly AlertEvent[]>([]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(t);
    };
  }, []);

  const metricsStatus = useLiveChannel(
    'metrics',
    {},
    useCallback((m: LiveMessage) => {
      if (m.type === 'metrics.sample') {
        setSamples((old) => addSample(old, m));
      }
    }, []),
  );
  const predictionsStatus = useLiveChannel('predictions', {}, (m) => {
    if (m.type === 'prediction.served') {
      setPredictions((old) => addNewest(old, m));
    }
  });
  const runsStatus = useLiveChannel('flow-runs', {}, (m) => {
    if (m.type === 'flow-run.changed') {
      setRuns((old) => addNewest(old, m));
    }
  });
  useLiveChannel('alerts', {}, (m) => {
    if (m.type === 'alert.raised' || m.type === 'alert.resolved') {
      setAlerts((old) => addNewest(old, m, 5));
      setTimeout(() => {
        setAlerts((old) => old.filter((a) => a.id !== m.id));
      }, TOAST_MS);
    }
  });

  const grafana = health.data?.grafanaUrl ?? undefined;
  return (
    <PageShell title={t('live.title')} actions={<LiveBadge status={metricsStatus} />}>
      <Toasts
        alerts={alerts}
        onClose={(id) => {
          setAlerts((old) => old.filter((a) => a.id !== id));
        }}
      />
      <section className="panel mlops-panel" aria-label={t('live.processes')}>
        <div className="panel-head">
          <h2>{t('live.processes')}</h2>
          <div className="controls">
            <span className="muted small">
              {health.data?.bus === 'kafka' ? t('live.scopeKafka') : t('live.scopeLocal')}
            </span>
            <ExternalLink href={grafana}>{t('live.grafana')}</ExternalLink>
          </div>
        </div>
        <ProcessCharts samples={samples} now={now} />
      </section>
      <div className="flows-grid live-grid-2">
        <section className="panel mlops-panel" aria-label={t('live.predictions')}>
          <div className="panel-head">
            <h2>{t('live.predictions')}</h2>
            <LiveBadge status={predictionsStatus} />
          </div>
          <PredictionsTable rows={predictions} />
        </section>
        <section className="panel mlops-panel" aria-label={t('live.runs')}>
          <div className="panel-head">
            <h2>{t('live.runs')}</h2>
            <LiveBadge status={runsStatus} />
          </div>
          <RunChanges rows={runs} />
        </section>
      </div>
    </PageShell>
  );
}
