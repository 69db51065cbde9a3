// Experiments: runs per ticker and horizon, a sortable metric table beside naive, metric by fold, side-by-side compare.
import {
  HORIZONS,
  MODEL_KINDS,
  type HorizonValue as Horizon,
  type ModelKindValue,
  type ModelVersionInfo,
  type Run,
} from '@stockops/api';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import {
  ApiKeyField,
  AppLink,
  ErrorBanner,
  ExternalLink,
  FoldChart,
  PageShell,
  queryErrors,
  SERIES_COLORS,
  StateBadge,
  TickerSelect,
  type FoldSeries,
} from '../components';
import { useRefreshOnRunEnd, useTickerChoice, useTrain } from '../hooks';
import {
  describeError,
  formatMetric,
  formatPercent,
  formatTime,
  mlflowRunUrl,
  plural,
  queries,
  versionsByRun,
} from '../lib';

interface Column {
  key: string;
  label: string;
  title: string;
  /** What the column sorts by; `version` is the registered version of the run, if any. */
  value: (r: Run, version: ModelVersionInfo | undefined) => number | string | undefined;
  show: (r: Run, version: ModelVersionInfo | undefined) => ReactNode;
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
    title: 'The registered model version this run produced, with its aliases',
    value: (_r, v) => v?.version,
    show: (_r, v) =>
      v === undefined ? (
        '—'
      ) : (
        <>
          <span className="mono">v{v.version}</span>{' '}
          {v.aliases.map((a) => (
            <span key={a} className={`alias alias-${a}`}>
              {a}
            </span>
          ))}
        </>
      ),
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

/**
 * Trains one more model for the ticker and horizon shown, and follows its flow run; the new run
 * joins the table when the flow run ends.
 */
function TrainForm({ symbol, horizon }: { symbol: string; horizon: Horizon }) {
  const [model, setModel] = useState<ModelKindValue>('ridge');
  const train = useTrain();
  const jobId = train.data?.jobId;
  const flowRun = useQuery({ ...queries.flowRun(jobId ?? ''), enabled: jobId !== undefined });
  useRefreshOnRunEnd(flowRun.data ? [flowRun.data] : undefined);
  return (
    <form
      className="promote-form train-form"
      aria-label="Train a model"
      onSubmit={(e) => {
        e.preventDefault();
        train.mutate({ ticker: symbol, model, horizon });
      }}
    >
      <label>
        <span>Model</span>
        <select
          aria-label="Model kind to train"
          value={model}
          onChange={(e) => {
            setModel(e.target.value as ModelKindValue);
            train.reset();
          }}
        >
          {MODEL_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <ApiKeyField />
      <button className="primary" type="submit" disabled={train.isPending}>
        Train {model} on {symbol} at {horizon}d
      </button>
      {train.isError && (
        <span className="form-error" role="status">
          {describeError(train.error).message}
        </span>
      )}
      {jobId !== undefined && (
        <span className="form-ok" role="status">
          train flow run <span className="mono">{jobId.slice(0, 8)}</span>{' '}
          {flowRun.data ? <StateBadge state={flowRun.data.state} /> : '…'}{' '}
          <AppLink to="/flows">follow it on Flows</AppLink>
        </span>
      )}
    </form>
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
  const models = useQuery(queries.models());
  const versionOf = useMemo(() => versionsByRun(models.data), [models.data]);

  const sorted = useMemo(() => {
    const col = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[0];
    if (!col) {
      return runs;
    }
    const value = (r: Run) => col.value(r, versionOf.get(r.id));
    return [...runs].sort((a, b) => sort.dir * compareValues(value(a), value(b)));
  }, [runs, sort, versionOf]);

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
                          {c.show(r, versionOf.get(r.id))}
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
        {symbol !== undefined && <TrainForm key={symbol} symbol={symbol} horizon={horizon} />}
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
                Compare{' '}
                <span className="muted">
                  ({chosen.length > 0 ? plural(chosen.length, 'run') : 'newest run'})
                </span>
              </h2>
              <span className="hint">
                {chosen.length > 1
                  ? 'Rows that differ are highlighted.'
                  : 'Tick runs in the table to compare them side by side.'}
              </span>
            </div>
            <CompareTable runs={compareRuns} />
          </section>
        </div>
      )}
    </PageShell>
  );
}
