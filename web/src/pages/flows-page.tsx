// Flows: start a flow, follow its flow runs (state, duration, tasks, logs), cancel one, and switch schedules on or off.
import { FLOW_RUN_STATES, type FlowInfoView } from '@stockops/api';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  ApiKeyField,
  ErrorBanner,
  LiveBadge,
  PageShell,
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
  defaultParameters,
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

function parseParameters(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(text.trim() === '' ? '{}' : text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function StartForm({
  flows,
  onStarted,
}: {
  flows: FlowInfoView[];
  onStarted: (id: string) => void;
}) {
  const [name, setName] = useState(
    () => flows.find((f) => f.name === FIRST_FLOW)?.name ?? flows[0]?.name ?? '',
  );
  const flow = flows.find((f) => f.name === name);
  const [params, setParams] = useState(() => defaultParameters(flow));
  const [invalid, setInvalid] = useState(false);
  const start = useStartFlow();
  const submit = () => {
    const parameters = parseParameters(params);
    setInvalid(parameters === undefined);
    if (parameters === undefined) {
      return;
    }
    start.mutate(
      { flow: name, parameters },
      {
        onSuccess: ({ id }) => {
          onStarted(id);
        },
      },
    );
  };
  const status = invalid
    ? { kind: 'error', text: 'Parameters must be a JSON object, e.g. { "ticker": "^GSPC" }' }
    : start.isError
      ? { kind: 'error', text: describeError(start.error).message }
      : start.isSuccess
        ? { kind: 'ok', text: `started flow run ${start.data.id.slice(0, 8)}` }
        : undefined;
  return (
    <form
      className="promote-form"
      aria-label="Start a flow"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        <span>Flow</span>
        <select
          aria-label="Flow to start"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setParams(defaultParameters(flows.find((f) => f.name === e.target.value)));
            setInvalid(false);
            start.reset();
          }}
        >
          {flows.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      <label className="grow">
        <span>Parameters (JSON)</span>
        <textarea
          value={params}
          rows={2}
          spellCheck={false}
          onChange={(e) => {
            setParams(e.target.value);
          }}
        />
      </label>
      <ApiKeyField />
      <button className="primary" type="submit" disabled={start.isPending}>
        Start flow
      </button>
      {status && (
        <span className={status.kind === 'error' ? 'form-error' : 'form-ok'} role="status">
          {status.text}
        </span>
      )}
      {flow && <p className="hint small">{flow.description}</p>}
    </form>
  );
}

function RunDetail({ id, flows }: { id: string; flows: FlowInfoView[] | undefined }) {
  const run = useQuery(queries.flowRun(id));
  const cancel = useCancelFlowRun();
  useRefreshOnRunEnd(run.data ? [run.data] : undefined);
  const r = run.data;
  if (!r) {
    return (
      <div className="panel mlops-panel empty">
        {run.isError
          ? `Flow run ${id.slice(0, 8)}: ${describeError(run.error).message}`
          : `Loading flow run ${id.slice(0, 8)}…`}
      </div>
    );
  }
  const about = describeFlowRun(
    r,
    flows?.find((f) => f.name === r.flow),
  );
  const now = Date.now();
  return (
    <section className="panel mlops-panel" aria-label="Flow run detail">
      <div className="panel-head">
        <h2>
          {r.flow} <span className="mono small muted">{r.id.slice(0, 8)}</span>
        </h2>
        <StateBadge state={r.state} />
      </div>
      {about !== '' && <p className="run-about">{about}</p>}
      <p className="small muted">
        attempts {r.attempts} · {formatDuration(r.startedAt, r.endedAt, now)}
        {r.worker ? ` · ${r.worker}` : ''}
        {r.scheduleId ? ` · schedule ${r.scheduleId}` : ''}
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
            Cancel flow run
          </button>
          {cancel.isError && (
            <span className="form-error">{describeError(cancel.error).message}</span>
          )}
        </div>
      )}
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th>Task</th>
              <th>State</th>
              <th>Attempts</th>
              <th>Duration</th>
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
      <h3 className="small muted">Logs</h3>
      <div className="log-view" role="log">
        {r.logs.length === 0
          ? 'no log lines yet'
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
  const schedules = useQuery(queries.schedules());
  const toggle = useSetScheduleEnabled();
  return (
    <section className="panel mlops-panel" aria-label="Schedules">
      <div className="panel-head">
        <h2>Schedules</h2>
        {toggle.isError && (
          <span className="form-error">{describeError(toggle.error).message}</span>
        )}
      </div>
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th>Schedule</th>
              <th>Flow</th>
              <th>Cron</th>
              <th>Time zone</th>
              <th>Next run (UTC)</th>
              <th>Enabled</th>
            </tr>
          </thead>
          <tbody>
            {(schedules.data ?? []).map((s) => (
              <tr key={s.id} title={s.description}>
                <td>{s.id}</td>
                <td>{s.flow}</td>
                <td className="mono">{s.cron}</td>
                <td>{s.timezone}</td>
                <td>{s.nextRunAt === null ? '—' : formatTime(s.nextRunAt)}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`enable ${s.id}`}
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
    ['Flows', flows],
    ['Flow runs', runs],
  ]);
  const list = runs.data ?? [];
  const flowByName = new Map((flows.data ?? []).map((f) => [f.name, f]));
  return (
    <PageShell tag="flows">
      <ErrorBanner messages={messages} />
      <section className="panel mlops-panel" aria-label="Start a flow">
        <div className="panel-head">
          <h2>Start a flow</h2>
        </div>
        {flows.data && <StartForm flows={flows.data} onStarted={setSelected} />}
      </section>
      <div className="flows-grid">
        <section className="panel mlops-panel" aria-label="Flow runs">
          <div className="panel-head">
            <h2>
              Flow runs <LiveBadge status={live} />
            </h2>
            <div className="controls">
              <select
                aria-label="Filter by flow"
                value={flowFilter}
                onChange={(e) => {
                  setFlowFilter(e.target.value);
                }}
              >
                <option value="">all flows</option>
                {(flows.data ?? []).map((f) => (
                  <option key={f.name} value={f.name}>
                    {f.name}
                  </option>
                ))}
              </select>
              <select
                aria-label="Filter by state"
                value={stateFilter}
                onChange={(e) => {
                  setStateFilter(e.target.value as FlowRunState | '');
                }}
              >
                <option value="">all states</option>
                {FLOW_RUN_STATES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {list.length === 0 ? (
            <p className="empty">
              {runs.isPending ? 'Loading flow runs…' : 'No flow runs yet; start one above.'}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="data-table">
                <thead>
                  <tr>
                    <th>Flow</th>
                    <th title="The flow run's parameters, with the flow's defaults filled in">
                      About
                    </th>
                    <th>State</th>
                    <th>Started (UTC)</th>
                    <th>Duration</th>
                    <th>Attempts</th>
                    <th>Flow run</th>
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
                        {r.flow}
                        {r.parentId !== null && <span className="muted small"> (child)</span>}
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
          <div className="panel mlops-panel empty">
            Select a flow run to see its tasks and logs.
          </div>
        )}
      </div>
      <Schedules />
    </PageShell>
  );
}
