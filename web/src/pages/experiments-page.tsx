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
import type { TFunction } from 'i18next';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
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
  queries,
  versionsByRun,
} from '../lib';

interface Column {
  key: string;
  /** The column's name and its explanation are experiments.columns.<key> and experiments.columns.<key>Title. */
  /** What the column sorts by; `version` is the registered version of the run, if any. */
  value: (r: Run, version: ModelVersionInfo | undefined) => number | string | undefined;
  show: (r: Run, version: ModelVersionInfo | undefined) => ReactNode;
}

const metric = (k: string) => (r: Run) => r.metrics[k];

const COLUMNS: Column[] = [
  {
    key: 'start',
    value: (r) => r.startTime,
    show: (r) => formatTime(r.startTime),
  },
  {
    key: 'model',
    value: (r) => r.params.model ?? r.tags['stockops.model'] ?? r.name,
    show: (r) => r.params.model ?? r.tags['stockops.model'] ?? r.name,
  },
  {
    key: 'rmse',
    value: metric('rmse'),
    show: (r) => formatMetric(r.metrics.rmse),
  },
  {
    key: 'rmse_naive',
    value: metric('rmse_naive'),
    show: (r) => formatMetric(r.metrics.rmse_naive),
  },
  {
    key: 'skill',
    value: metric('skill'),
    show: (r) => formatPercent(r.metrics.skill),
  },
  {
    key: 'direction_accuracy',
    value: metric('direction_accuracy'),
    show: (r) =>
      `${formatPercent(r.metrics.direction_accuracy)} / ${formatPercent(r.metrics.up_rate)}`,
  },
  {
    key: 'mape',
    value: metric('mape'),
    show: (r) => formatPercent(r.metrics.mape),
  },
  {
    key: 'dm_p_value',
    value: metric('dm_p_value'),
    show: (r) => formatMetric(r.metrics.dm_p_value, 3),
  },
  {
    key: 'version',
    value: (_r, v) => v?.version,
    show: (_r, v) =>
      v === undefined ? (
        '—'
      ) : (
        <>
          <span className="mono">v{v.version}</span> <Aliases names={v.aliases} />
        </>
      ),
  },
];

/** Registry aliases as badges, named in the reader's language. */
function Aliases({ names }: { names: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <>
      {names.map((a) => (
        <span key={a} className={`alias alias-${a}`}>
          {t(`aliases.${a}`, { defaultValue: a })}
        </span>
      ))}
    </>
  );
}

const columnLabel = (t: TFunction, key: string) => t(`experiments.columns.${key}`);
const columnTitle = (t: TFunction, key: string) => t(`experiments.columns.${key}Title`);

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
  const { t } = useTranslation();
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
          <span className="kind">{t(`experiments.${kind}`)}</span> {k}
        </th>
        {values.map((v, i) => (
          <td key={runs[i]?.id ?? i}>{v}</td>
        ))}
      </tr>
    );
  };
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="data-table compare" data-testid="compare-table">
        <thead>
          <tr>
            <th scope="col">{t('experiments.compared')}</th>
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
  const { t } = useTranslation();
  const [model, setModel] = useState<ModelKindValue>('ridge');
  const train = useTrain();
  const jobId = train.data?.jobId;
  const flowRun = useQuery({ ...queries.flowRun(jobId ?? ''), enabled: jobId !== undefined });
  useRefreshOnRunEnd(flowRun.data ? [flowRun.data] : undefined);
  return (
    <form
      className="promote-form train-form"
      aria-label={t('experiments.trainForm')}
      onSubmit={(e) => {
        e.preventDefault();
        train.mutate({ ticker: symbol, model, horizon });
      }}
    >
      <label>
        <span>{t('common.model')}</span>
        <select
          aria-label={t('experiments.modelToTrain')}
          value={model}
          onChange={(e) => {
            setModel(e.target.value as ModelKindValue);
            train.reset();
          }}
        >
          {MODEL_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`models.kinds.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <ApiKeyField />
      <button className="primary" type="submit" disabled={train.isPending}>
        {t('experiments.train', { model: t(`models.kinds.${model}`), symbol, h: horizon })}
      </button>
      {train.isError && (
        <span className="form-error" role="status">
          {describeError(train.error).message}
        </span>
      )}
      {jobId !== undefined && (
        <span className="form-ok" role="status">
          {t('experiments.trainRun')} <span className="mono">{jobId.slice(0, 8)}</span>{' '}
          {flowRun.data ? <StateBadge state={flowRun.data.state} /> : '…'}{' '}
          <AppLink to="/flows">{t('experiments.followOnFlows')}</AppLink>
        </span>
      )}
    </form>
  );
}

export function ExperimentsPage() {
  const { t } = useTranslation();
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
          : { label: t('models.kinds.naive'), color: '#8b9bb0', dashed: true, points: q.data };
      })
    : [];

  const messages = queryErrors([
    [t('common.tickers'), tickers],
    [t('experiments.runs'), runsQuery],
    [t('experiments.folds'), { error: foldError?.error }],
  ]);

  const toggle = (id: string) => {
    setSelected((cur) => (cur.includes(id) ? cur.filter((x) => x !== id) : [...cur, id]));
  };

  return (
    <PageShell
      title={t('nav.experiments')}
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
            <span className="ticker-label">{t('common.horizon')}</span>
            <select
              value={horizon}
              onChange={(e) => {
                setHorizon(Number(e.target.value) as Horizon);
                setSelected([]);
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
      <section className="panel mlops-panel" aria-label={t('experiments.runs')}>
        <div className="panel-head">
          <h2>
            {t('experiments.runsOf', { symbol: symbol ?? '—', h: horizon })}{' '}
            <span className="muted">
              {t('experiments.runCount', { count: runs.length })} ·{' '}
              {t('experiments.backend', { backend: trackingInfo?.backend ?? '…' })}
            </span>
          </h2>
          <span className="hint">{t('experiments.tickHint')}</span>
        </div>
        {runsQuery.isLoading && <div className="empty">{t('experiments.loadingRuns')}</div>}
        {runsQuery.isSuccess && runs.length === 0 && (
          <div className="empty">{t('experiments.noRuns')}</div>
        )}
        {runs.length > 0 && (
          <div className="table-wrap" tabIndex={0}>
            <table className="data-table" data-testid="runs-table">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="sr-only">{t('experiments.compare')}</span>
                  </th>
                  {COLUMNS.map((c) => (
                    <th
                      key={c.key}
                      scope="col"
                      title={columnTitle(t, c.key)}
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
                        {columnLabel(t, c.key)}
                        {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                      </button>
                    </th>
                  ))}
                  <th scope="col">{t('experiments.gate')}</th>
                  <th scope="col">{t('experiments.recipe')}</th>
                  {trackingInfo?.mlflowUrl && <th scope="col">{t('common.mlflow')}</th>}
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
                          aria-label={t('experiments.compareRun', { id: r.id })}
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
                      <td className="mono">{r.tags['stockops.recipe'] ?? '—'}</td>
                      {trackingInfo?.mlflowUrl && (
                        <td>
                          <ExternalLink href={mlflowRunUrl(trackingInfo, r)}>
                            {t('experiments.run')}
                          </ExternalLink>
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
          <section className="panel mlops-panel" aria-label={t('experiments.metricByFold')}>
            <div className="panel-head">
              <h2>{t('experiments.metricByFold')}</h2>
              <select
                aria-label={t('experiments.foldMetric')}
                value={foldMetric}
                onChange={(e) => {
                  setFoldMetric(e.target.value);
                }}
              >
                {FOLD_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {t(`experiments.foldMetrics.${m}`)}
                  </option>
                ))}
              </select>
            </div>
            {foldsReady ? (
              <FoldChart series={folds} metric={t(`experiments.foldMetrics.${foldMetric}`)} />
            ) : (
              <div className="empty">{t('experiments.loadingFolds')}</div>
            )}
          </section>
          <section className="panel mlops-panel" aria-label={t('experiments.compareRuns')}>
            <div className="panel-head">
              <h2>
                {t('experiments.compare')}{' '}
                <span className="muted">
                  (
                  {chosen.length > 0
                    ? t('experiments.nRuns', { count: chosen.length })
                    : t('experiments.newestRun')}
                  )
                </span>
              </h2>
              <span className="hint">
                {chosen.length > 1 ? t('experiments.differ') : t('experiments.tickToCompare')}
              </span>
            </div>
            <CompareTable runs={compareRuns} />
          </section>
        </div>
      )}
    </PageShell>
  );
}
