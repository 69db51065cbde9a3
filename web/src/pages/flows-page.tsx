// Flows: start a flow, follow its flow runs (state, duration, tasks, logs), cancel one, and switch schedules on or off.
import { FLOW_RUN_STATES, type FlowInfoView } from '@stockops/api';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ApiKeyField,
  ErrorBanner,
  LiveBadge,
  PageShell,
  ParameterFields,
  toParameters,
  type FieldValue,
  queryErrors,
  StateBadge,
  type BannerMessage,
} from '../components';
import {
  useCancelFlowRun,
  useFlowRunStream,
  useRefreshOnRunEnd,
  useSetScheduleEnabled,
  useStartFlow,
} from '../hooks';
import {
  describeError,
  describeFlowRun,
  formatClock,
  formatDuration,
  formatTime,
  isEnded,
  queries,
  type FlowRunState,
} from '../lib';

/** The flow the start form opens on: the one people start by hand most. */
const FIRST_FLOW = 'train';

function StartForm({
  flows,
  onStarted,
}: {
  flows: FlowInfoView[];
  onStarted: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(
    () => flows.find((f) => f.name === FIRST_FLOW)?.name ?? flows[0]?.name ?? '',
  );
  const flow = flows.find((f) => f.name === name);
  const [values, setValues] = useState<Record<string, FieldValue>>({});
  const tickers = useQuery(queries.tickers());
  const recipes = useQuery(queries.recipes());
  const start = useStartFlow();
  const submit = () => {
    if (!flow) {
      return;
    }
    start.mutate(
      { flow: name, parameters: toParameters(flow.parameters, values) },
      {
        onSuccess: ({ id }) => {
          onStarted(id);
        },
      },
    );
  };
  const status = start.isError
    ? { kind: 'error', text: describeError(start.error).message }
    : start.isSuccess
      ? { kind: 'ok', text: t('flows.started', { id: start.data.id.slice(0, 8) }) }
      : undefined;
  return (
    <form
      className="promote-form"
      aria-label={t('flows.start')}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor="flow-name">
        <span>{t('flows.flow')}</span>
        <select
          id="flow-name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setValues({});
            start.reset();
          }}
        >
          {flows.map((f) => (
            <option key={f.name} value={f.name}>
              {t(`flows.names.${f.name}`, { defaultValue: f.name })}
            </option>
          ))}
        </select>
      </label>
      {flow && (
        <ParameterFields
          key={flow.name}
          idPrefix={`flow-${flow.name}`}
          params={flow.parameters}
          required={flow.required}
          values={values}
          tickers={(tickers.data ?? []).map((x) => x.symbol)}
          recipes={(recipes.data ?? []).map((r) => `${r.id}@${r.version}`)}
          onChange={(k, v) => {
            setValues((cur) => ({ ...cur, [k]: v }));
            start.reset();
          }}
        />
      )}
      <ApiKeyField />
      <button className="primary" type="submit" disabled={start.isPending}>
        {t('flows.startButton')}
      </button>
      {status && (
        <span className={status.kind === 'error' ? 'form-error' : 'form-ok'} role="status">
          {status.text}
        </span>
      )}
      {flow && (
        <p className="hint small form-wide">
          {t(`flows.descriptions.${flow.name}`, { defaultValue: flow.description })}
        </p>
      )}
    </form>
  );
}

function RunDetail({ id, flows }: { id: string; flows: FlowInfoView[] | undefined }) {
  const { t } = useTranslation();
  const run = useQuery(queries.flowRun(id));
  const cancel = useCancelFlowRun();
  useRefreshOnRunEnd(run.data ? [run.data] : undefined);
  const r = run.data;
  if (!r) {
    return (
      <div className="panel mlops-panel empty">
        {run.isError
          ? t('flows.runError', { id: id.slice(0, 8), message: describeError(run.error).message })
          : t('flows.loadingRun', { id: id.slice(0, 8) })}
      </div>
    );
  }
  const about = describeFlowRun(
    r,
    flows?.find((f) => f.name === r.flow),
  );
  const now = Date.now();
  return (
    <section className="panel mlops-panel" aria-label={t('flows.detail')}>
      <div className="panel-head">
        <h2>
          {t(`flows.names.${r.flow}`, { defaultValue: r.flow })}{' '}
          <span className="mono small muted">{r.id.slice(0, 8)}</span>
        </h2>
        <StateBadge state={r.state} />
      </div>
      {about !== '' && <p className="run-about">{about}</p>}
      <p className="small muted">
        {t('flows.attemptsN', { count: r.attempts })} ·{' '}
        {formatDuration(r.startedAt, r.endedAt, now)}
        {r.worker ? ` · ${r.worker}` : ''}
        {r.scheduleId ? ` · ${t('flows.scheduleId', { id: r.scheduleId })}` : ''}
      </p>
      <p className="small mono">{JSON.stringify(r.parameters)}</p>
      {r.error && (
        <p className="form-error">
          {r.error.code}: {r.error.message}
        </p>
      )}
      {!isEnded(r.state) && (
        <div className="promote-form run-actions">
          <button
            className="primary"
            type="button"
            disabled={cancel.isPending}
            onClick={() => {
              cancel.mutate(r.id);
            }}
          >
            {t('flows.cancel')}
          </button>
          {cancel.isError && (
            <span className="form-error">{describeError(cancel.error).message}</span>
          )}
        </div>
      )}
      <div className="table-wrap" tabIndex={0}>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('flows.task')}</th>
              <th scope="col">{t('flows.state')}</th>
              <th scope="col">{t('flows.attempts')}</th>
              <th scope="col">{t('flows.duration')}</th>
            </tr>
          </thead>
          <tbody>
            {r.taskRuns.map((t) => (
              <tr key={t.task}>
                <td>{t.task}</td>
                <td>
                  <StateBadge state={t.state} />
                </td>
                <td>{t.attempts}</td>
                <td>{formatDuration(t.startedAt, t.endedAt, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 className="small muted">{t('flows.logs')}</h3>
      <div className="log-view" role="log" tabIndex={0} aria-label={t('flows.logs')}>
        {r.logs.length === 0
          ? t('flows.noLogs')
          : r.logs.map((l, i) => (
              <div key={i} className={`log-${l.level}`}>
                {formatClock(l.at)} {l.task ? `[${l.task}] ` : ''}
                {l.message}
              </div>
            ))}
      </div>
    </section>
  );
}

function Schedules() {
  const { t } = useTranslation();
  const schedules = useQuery(queries.schedules());
  const toggle = useSetScheduleEnabled();
  return (
    <section className="panel mlops-panel" aria-label={t('flows.schedules')}>
      <div className="panel-head">
        <h2>{t('flows.schedules')}</h2>
        {toggle.isError && (
          <span className="form-error">{describeError(toggle.error).message}</span>
        )}
      </div>
      <div className="table-wrap" tabIndex={0}>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('flows.schedule')}</th>
              <th scope="col">{t('flows.flow')}</th>
              <th scope="col">{t('flows.cron')}</th>
              <th scope="col">{t('flows.timezone')}</th>
              <th scope="col">{t('flows.nextRun')}</th>
              <th scope="col">{t('flows.enabled')}</th>
            </tr>
          </thead>
          <tbody>
            {(schedules.data ?? []).map((s) => (
              <tr key={s.id} title={s.description}>
                <td>{s.id}</td>
                <td>{t(`flows.names.${s.flow}`, { defaultValue: s.flow })}</td>
                <td className="mono">{s.cron}</td>
                <td>{s.timezone}</td>
                <td>{s.nextRunAt === null ? '—' : formatTime(s.nextRunAt)}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('flows.enable', { id: s.id })}
                    checked={s.enabled}
                    disabled={toggle.isPending}
                    onChange={(e) => {
                      toggle.mutate({ id: s.id, enabled: e.target.checked });
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function FlowsPage() {
  const { t } = useTranslation();
  const [flowFilter, setFlowFilter] = useState('');
  const [stateFilter, setStateFilter] = useState<FlowRunState | ''>('');
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const flows = useQuery(queries.flows());
  // Run states arrive on /ws/flow-runs; the list is polled only while that socket is down.
  const live = useFlowRunStream();
  const runs = useQuery(
    queries.flowRuns(
      {
        ...(flowFilter ? { flow: flowFilter } : {}),
        ...(stateFilter ? { state: stateFilter } : {}),
      },
      { poll: live.state !== 'open' },
    ),
  );
  useRefreshOnRunEnd(runs.data);
  const now = Date.now();
  const messages: BannerMessage[] = queryErrors([
    [t('nav.flows'), flows],
    [t('flows.runs'), runs],
  ]);
  const list = runs.data ?? [];
  const flowByName = new Map((flows.data ?? []).map((f) => [f.name, f]));
  return (
    <PageShell title={t('nav.flows')}>
      <ErrorBanner messages={messages} />
      <section className="panel mlops-panel" aria-label={t('flows.start')}>
        <div className="panel-head">
          <h2>{t('flows.start')}</h2>
        </div>
        {flows.data && <StartForm flows={flows.data} onStarted={setSelected} />}
      </section>
      <div className="flows-grid">
        <section className="panel mlops-panel" aria-label={t('flows.runs')}>
          <div className="panel-head">
            <h2>
              {t('flows.runs')} <LiveBadge status={live} />
            </h2>
            <div className="controls">
              <select
                aria-label={t('flows.filterFlow')}
                value={flowFilter}
                onChange={(e) => {
                  setFlowFilter(e.target.value);
                }}
              >
                <option value="">{t('flows.allFlows')}</option>
                {(flows.data ?? []).map((f) => (
                  <option key={f.name} value={f.name}>
                    {t(`flows.names.${f.name}`, { defaultValue: f.name })}
                  </option>
                ))}
              </select>
              <select
                aria-label={t('flows.filterState')}
                value={stateFilter}
                onChange={(e) => {
                  setStateFilter(e.target.value as FlowRunState | '');
                }}
              >
                <option value="">{t('flows.allStates')}</option>
                {FLOW_RUN_STATES.map((s) => (
                  <option key={s} value={s}>
                    {t(`states.${s}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {list.length === 0 ? (
            <p className="empty">{runs.isPending ? t('flows.loadingRuns') : t('flows.noRuns')}</p>
          ) : (
            <div className="table-wrap" tabIndex={0}>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t('flows.flow')}</th>
                    <th scope="col" title={t('flows.aboutTitle')}>
                      {t('flows.about')}
                    </th>
                    <th scope="col">{t('flows.state')}</th>
                    <th scope="col">{t('flows.startedUtc')}</th>
                    <th scope="col">{t('flows.duration')}</th>
                    <th scope="col">{t('flows.attempts')}</th>
                    <th scope="col">{t('flows.flowRun')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => (
                    <tr
                      key={r.id}
                      className={`run-row${r.id === selected ? ' selected' : ''}`}
                      onClick={() => {
                        setSelected(r.id);
                      }}
                    >
                      <td>
                        <button
                          type="button"
                          className="link-button"
                          aria-pressed={r.id === selected}
                          onClick={() => {
                            setSelected(r.id);
                          }}
                        >
                          {t(`flows.names.${r.flow}`, { defaultValue: r.flow })}
                        </button>
                        {r.parentId !== null && (
                          <span className="muted small"> {t('flows.child')}</span>
                        )}
                      </td>
                      <td className="run-about-cell">
                        {describeFlowRun(r, flowByName.get(r.flow)) || '—'}
                      </td>
                      <td>
                        <StateBadge state={r.state} />
                      </td>
                      <td>{formatTime(r.startedAt ?? r.createdAt)}</td>
                      <td>{formatDuration(r.startedAt, r.endedAt, now)}</td>
                      <td>{r.attempts}</td>
                      <td className="mono small">{r.id.slice(0, 8)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {selected !== undefined ? (
          <RunDetail key={selected} id={selected} flows={flows.data} />
        ) : (
          <div className="panel mlops-panel empty">{t('flows.selectRun')}</div>
        )}
      </div>
      <Schedules />
    </PageShell>
  );
}
