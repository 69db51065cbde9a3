// Experiments: runs per ticker and horizon, a sortable metric table beside naive, metric by fold, side-by-side compare.
import { HORIZONS, type HorizonValue as Horizon, type Run } from '@stockops/api';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  ErrorBanner,
  ExternalLink,
  FoldChart,
  PageShell,
  queryErrors,
  SERIES_COLORS,
  TickerSelect,
  type FoldSeries,
} from '../components';
import { useTickerChoice } from '../hooks';
import { formatMetric, formatPercent, formatTime, mlflowRunUrl, queries } from '../lib';

interface Column {
  key: string;
  label: string;
  title: string;
  value: (r: Run) => number | string | undefined;
  show: (r: Run) => string;
}

const metric = (k: string) => (r: Run) => r.metrics[k];

const COLUMNS: Column[] = [
  {
    key: 'start',
    label: 'Started (UTC)',
    title: 'Run start time',
    value: (r) => r.startTime,
    show: (r) => formatTime(r.startTime),
  },
  {
    key: 'model',
    label: 'Model',
    title: 'Model kind',
    value: (r) => r.params.model ?? r.tags['stockops.model'] ?? r.name,
    show: (r) => r.params.model ?? r.tags['stockops.model'] ?? r.name,
  },
  {
    key: 'rmse',
    label: 'RMSE',
    title: 'Out-of-sample RMSE of log returns over all folds',
    value: metric('rmse'),
    show: (r) => formatMetric(r.metrics.rmse),
  },
  {
    key: 'rmse_naive',
    label: 'RMSE naive',
    title: 'RMSE of "tomorrow = today" on the same rows',
    value: metric('rmse_naive'),
    show: (r) => formatMetric(r.metrics.rmse_naive),
  },
  {
    key: 'skill',
    label: 'Skill',
    title: '1 - RMSE / RMSE naive: positive beats naive',
    value: metric('skill'),
    show: (r) => formatPercent(r.metrics.skill),
  },
  {
    key: 'direction_accuracy',
    label: 'Direction',
    title: 'Direction accuracy (beside the up-rate, the accuracy of always saying up)',
    value: metric('direction_accuracy'),
    show: (r) =>
      `${formatPercent(r.metrics.direction_accuracy)} / ${formatPercent(r.metrics.up_rate)}`,
  },
  {
    key: 'mape',
    label: 'MAPE',
    title: 'Mean absolute percentage error of the implied price',
    value: metric('mape'),
    show: (r) => formatPercent(r.metrics.mape),
  },
  {
    key: 'dm_p_value',
    label: 'DM p',
    title: 'Diebold-Mariano p-value against naive',
    value: metric('dm_p_value'),
    show: (r) => formatMetric(r.metrics.dm_p_value, 3),
  },
  {
    key: 'version',
    label: 'Version',
    title: 'Registered model version of this run',
    value: (r) => Number(r.tags['stockops.registered_version'] ?? Number.NaN),
    show: (r) => r.tags['stockops.registered_version'] ?? '—',
  },
];

const FOLD_METRICS = ['fold_rmse', 'fold_skill', 'fold_direction_accuracy'];

function compareValues(a: number | string | undefined, b: number | string | undefined): number {
  const missing = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isNaN(v));
  if (missing(a) || missing(b)) {
    return missing(a) ? (missing(b) ? 0 : 1) : -1;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  return String(a).localeCompare(String(b));
}

function CompareTable({ runs }: { runs: Run[] }) {
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))]
    .filter((k) => !k.startsWith('fold_'))
    .sort();
  const row = (kind: 'param' | 'metric', k: string) => {
    const values = runs.map((r) =>
      kind === 'param' ? (r.params[k] ?? '—') : formatMetric(r.metrics[k]),
    );
    const differs = new Set(values).size > 1;
    return (
      <tr key={`${kind}:${k}`} className={differs ? 'differs' : undefined}>
        <th scope="row">
          <span className="kind">{kind}</span> {k}
        </th>
        {values.map((v, i) => (
          <td key={runs[i]?.id ?? i}>{v}</td>
        ))}
      </tr>
    );
  };
  return (
    <div className="table-wrap">
      <table className="data-table compare" data-testid="compare-table">
        <thead>
          <tr>
            <th scope="col">Compared</th>
            {runs.map((r) => (
              <th scope="col" key={r.id}>
                {r.name} <span className="mono muted">{r.id.slice(0, 8)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {metricKeys.map((k) => row('metric', k))}
          {paramKeys.map((k) => row('param', k))}
        </tbody>
      </table>
    </div>
  );
}

export function ExperimentsPage() {
  const [ticker, setTicker] = useState<string | undefined>(undefined);
  const [horizon, setHorizon] = useState<Horizon>(1);
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 }>({ key: 'start', dir: -1 });
  const [selected, setSelected] = useState<string[]>([]);
  const [foldMetric, setFoldMetric] = useState('fold_rmse');
  const tickers = useQuery(queries.tickers());

  const { symbol } = useTickerChoice(ticker);
  const tracking = useQuery(queries.health());
  const runsQuery = useQuery({
    ...queries.runs(symbol ?? '', horizon),
    enabled: symbol !== undefined,
  });
  const runs = useMemo(() => runsQuery.data ?? [], [runsQuery.data]);
  const trackingInfo = tracking.data?.tracking;

  const sorted = useMemo(() => {
    const col = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[0];
    if (!col) {
      return runs;
    }
    return [...runs].sort((a, b) => sort.dir * compareValues(col.value(a), col.value(b)));
  }, [runs, sort]);

  const chosen = runs.filter((r) => selected.includes(r.id));
  const compareRuns = chosen.length > 0 ? chosen : runs.slice(0, 1);
  const first = compareRuns[0];
  // The naive line is drawn beside RMSE, from the first run (every run scores naive on the same rows).
  const naiveRun = foldMetric === 'fold_rmse' ? first : undefined;
  const foldQueries = useQueries({
    queries: [
      ...compareRuns.map((r) => queries.metricHistory(r.id, foldMetric)),
      ...(naiveRun ? [queries.metricHistory(naiveRun.id, 'fold_rmse_naive')] : []),
    ],
  });
  const foldsReady = foldQueries.every((q) => q.isSuccess);
  const foldError = foldQueries.find((q) => q.isError);
  const folds: FoldSeries[] = foldsReady
    ? foldQueries.map((q, i) => {
        const r = compareRuns[i];
        return r
          ? {
              label: `${r.name} ${r.id.slice(0, 6)}`,
              color: SERIES_COLORS[i % SERIES_COLORS.length] ?? '#38bdf8',
              points: q.data,
            }
          : { label: 'naive', color: '#8b9bb0', dashed: true, points: q.data };
      })
    : [];

  const messages = queryErrors([
    ['Tickers', tickers],
    ['Runs', runsQuery],
    ['Folds', { error: foldError?.error }],
  ]);

  const toggle = (id: string) => {
    setSelected((cur) => (cur.includes(id) ? cur.filter((x) => x !== id) : [...cur, id]));
  };

  return (
    <PageShell
      tag="experiments"
      actions={
        <div className="controls">
          <TickerSelect
            value={symbol}
            testId="exp-ticker"
            onChange={(next) => {
              setTicker(next);
              setSelected([]);
            }}
          />
          <label className="ticker-picker">
            <span className="ticker-label">Horizon</span>
            <select
              value={horizon}
              onChange={(e) => {
                setHorizon(Number(e.target.value) as Horizon);
                setSelected([]);
              }}
            >
              {HORIZONS.map((h) => (
                <option key={h} value={h}>
                  {h}d
                </option>
              ))}
            </select>
          </label>
        </div>
      }
    >
      <ErrorBanner messages={messages} />
      <section className="panel mlops-panel" aria-label="Runs">
        <div className="panel-head">
          <h2>
            Runs of {symbol ?? '—'} at {horizon}d{' '}
            <span className="muted">
              ({runs.length}) · backend {trackingInfo?.backend ?? '…'}
            </span>
          </h2>
          <span className="hint">Tick runs to compare them; click a header to sort.</span>
        </div>
        {runsQuery.isLoading && <div className="empty">Loading runs…</div>}
        {runsQuery.isSuccess && runs.length === 0 && (
          <div className="empty">No runs yet for this ticker and horizon.</div>
        )}
        {runs.length > 0 && (
          <div className="table-wrap">
            <table className="data-table" data-testid="runs-table">
              <thead>
                <tr>
                  <th scope="col" aria-label="Compare" />
                  {COLUMNS.map((c) => (
                    <th
                      key={c.key}
                      scope="col"
                      title={c.title}
                      aria-sort={
                        sort.key === c.key
                          ? sort.dir === 1
                            ? 'ascending'
                            : 'descending'
                          : undefined
                      }
                    >
                      <button
                        type="button"
                        className="sort-button"
                        onClick={() => {
                          setSort((s) => ({
                            key: c.key,
                            dir: s.key === c.key ? (s.dir === 1 ? -1 : 1) : 1,
                          }));
                        }}
                      >
                        {c.label}
                        {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                      </button>
                    </th>
                  ))}
                  <th scope="col">Gate decision</th>
                  {trackingInfo?.mlflowUrl && <th scope="col">MLflow</th>}
                </tr>
              </thead>
              <tbody>
                {sorted.map((r) => {
                  const skill = r.metrics.skill;
                  return (
                    <tr key={r.id} className={selected.includes(r.id) ? 'selected' : undefined}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Compare run ${r.id}`}
                          checked={selected.includes(r.id)}
                          onChange={() => {
                            toggle(r.id);
                          }}
                        />
                      </td>
                      {COLUMNS.map((c) => (
                        <td
                          key={c.key}
                          className={
                            c.key === 'skill' && skill !== undefined
                              ? skill > 0
                                ? 'up'
                                : 'down'
                              : undefined
                          }
                        >
                          {c.show(r)}
                        </td>
                      ))}
                      <td className="decision">{r.tags['stockops.promotion.decision'] ?? '—'}</td>
                      {trackingInfo?.mlflowUrl && (
                        <td>
                          <ExternalLink href={mlflowRunUrl(trackingInfo, r)}>run</ExternalLink>
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {compareRuns.length > 0 && (
        <div className="mlops-grid">
          <section className="panel mlops-panel" aria-label="Metric by fold">
            <div className="panel-head">
              <h2>Metric by fold</h2>
              <select
                value={foldMetric}
                onChange={(e) => {
                  setFoldMetric(e.target.value);
                }}
              >
                {FOLD_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </div>
            {foldsReady ? (
              <FoldChart series={folds} metric={foldMetric} />
            ) : (
              <div className="empty">Loading folds…</div>
            )}
          </section>
          <section className="panel mlops-panel" aria-label="Compare runs">
            <div className="panel-head">
              <h2>
                Compare <span className="muted">({compareRuns.length} runs)</span>
              </h2>
              <span className="hint">Rows that differ are highlighted.</span>
            </div>
            <CompareTable runs={compareRuns} />
          </section>
        </div>
      )}
    </PageShell>
  );
}
