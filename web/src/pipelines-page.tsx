// Pipelines: flow runs with state, duration and logs, a form to start a flow, and the schedules.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api';
import { ErrorBanner, type BannerMessage } from './error-banner';
import { PageShell } from './page-shell';
import { formatTime, formatDuration } from './lib/format';
import {
  cancelFlowRun,
  ENDED,
  fetchFlowRun,
  fetchFlowRuns,
  fetchFlows,
  fetchSchedules,
  FLOW_RUN_STATES,
  setScheduleEnabled,
  startFlow,
  type FlowInfo,
  type FlowRun,
  type FlowRunDetail,
  type FlowRunState,
  type Schedule,
} from './pipelines-api';
import './mlops.css';
import './pipelines.css';

const API_KEY_STORAGE = 'stockops.apiKey';
const REFRESH_MS = 3000;

type Polled<T> = { data: T | undefined; error: BannerMessage | undefined };

/**
 * Loads now and every `ms` while mounted, keeping the last answer on screen during a refresh so the
 * table does not flicker; `key` changes (filters) reload at once.
 */
function usePoll<T>(source: string, key: string, load: (s: AbortSignal) => Promise<T>, ms: number) {
  const [state, setState] = useState<Polled<T>>({ data: undefined, error: undefined });
  const [bump, setBump] = useState(0);
  useEffect(() => {
    let live = true;
    const controller = new AbortController();
    const run = () => {
      load(controller.signal).then(
        (data) => {
          if (live) {
            setState({ data, error: undefined });
          }
        },
        (e: unknown) => {
          if (live && !(e instanceof DOMException && e.name === 'AbortError')) {
            setState((s) => ({
              data: s.data,
              error: {
                source,
                code: e instanceof ApiError ? e.code : 'CLIENT_ERROR',
                message: e instanceof Error ? e.message : String(e),
              },
            }));
          }
        },
      );
    };
    run();
    const timer = setInterval(run, ms);
    return () => {
      live = false;
      controller.abort();
      clearInterval(timer);
    };
    // `load` is rebuilt each render; `key` says when what it loads has changed.
  }, [key, bump, ms, source]);
  const refresh = useCallback(() => {
    setBump((b) => b + 1);
  }, []);
  return { ...state, refresh };
}

function StateBadge({ state }: { state: FlowRunState }) {
  return <span className={`state state-${state}`}>{state}</span>;
}

function defaults(flow: FlowInfo | undefined): string {
  if (!flow) {
    return '{}';
  }
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(flow.parameters)) {
    if (p.default !== undefined) {
      out[k] = p.default;
    } else if (k === 'ticker') {
      out[k] = '^GSPC';
    }
  }
  return JSON.stringify(out);
}

function StartForm({
  flows,
  apiKey,
  setApiKey,
  onStarted,
}: {
  flows: FlowInfo[];
  apiKey: string;
  setApiKey: (k: string) => void;
  onStarted: (id: string) => void;
}) {
  const [name, setName] = useState('train');
  const flow = flows.find((f) => f.name === name);
  const [params, setParams] = useState(() => defaults(flow));
  const [state, setState] = useState<{ kind: 'idle' | 'busy' | 'ok' | 'error'; text?: string }>({
    kind: 'idle',
  });
  const submit = async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(params === '' ? '{}' : params) as unknown;
    } catch {
      setState({ kind: 'error', text: 'parameters must be a JSON object' });
      return;
    }
    setState({ kind: 'busy' });
    sessionStorage.setItem(API_KEY_STORAGE, apiKey);
    try {
      const { id } = await startFlow(name, parsed, apiKey);
      setState({ kind: 'ok', text: `started ${id.slice(0, 8)}` });
      onStarted(id);
    } catch (e) {
      setState({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <form
      className="promote-form"
      aria-label="Start a flow"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        Flow
        <select
          aria-label="Flow to start"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setParams(defaults(flows.find((f) => f.name === e.target.value)));
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
        Parameters (JSON)
        <textarea
          value={params}
          rows={1}
          spellCheck={false}
          onChange={(e) => {
            setParams(e.target.value);
          }}
        />
      </label>
      <label>
        API key
        <input
          type="password"
          value={apiKey}
          placeholder="if the server needs one"
          onChange={(e) => {
            setApiKey(e.target.value);
          }}
        />
      </label>
      <button className="primary" type="submit" disabled={state.kind === 'busy'}>
        Start flow
      </button>
      {state.text !== undefined && (
        <span className={state.kind === 'error' ? 'form-error' : 'form-ok'} role="status">
          {state.text}
        </span>
      )}
      {flow && <p className="hint small">{flow.description}</p>}
    </form>
  );
}

function RunDetail({
  id,
  apiKey,
  onChanged,
}: {
  id: string;
  apiKey: string;
  onChanged: () => void;
}) {
  const run = usePoll<FlowRunDetail>('Flow run', id, (s) => fetchFlowRun(id, s), REFRESH_MS);
  const r = run.data;
  const [cancelError, setCancelError] = useState<string | undefined>(undefined);
  if (!r) {
    return <div className="panel mlops-panel empty">Loading run {id.slice(0, 8)}…</div>;
  }
  return (
    <section className="panel mlops-panel" aria-label="Run detail">
      <div className="panel-head">
        <h2>
          {r.flow} <span className="mono small muted">{r.id.slice(0, 8)}</span>
        </h2>
        <StateBadge state={r.state} />
      </div>
      <p className="small muted">
        attempts {r.attempts} · {formatDuration(r.startedAt, r.endedAt, Date.now())}
        {r.worker ? ` · ${r.worker}` : ''}
        {r.scheduleId ? ` · schedule ${r.scheduleId}` : ''}
      </p>
      <p className="small mono">{JSON.stringify(r.parameters)}</p>
      {r.error && (
        <p className="form-error">
          {r.error.code}: {r.error.message}
        </p>
      )}
      {!ENDED.includes(r.state) && (
        <div className="promote-form">
          <button
            className="primary"
            type="button"
            onClick={() => {
              cancelFlowRun(r.id, apiKey).then(
                () => {
                  setCancelError(undefined);
                  run.refresh();
                  onChanged();
                },
                (e: unknown) => {
                  setCancelError(e instanceof Error ? e.message : String(e));
                },
              );
            }}
          >
            Cancel run
          </button>
          {cancelError !== undefined && <span className="form-error">{cancelError}</span>}
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
                <td>{formatDuration(t.startedAt, t.endedAt, Date.now())}</td>
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
                {new Date(l.at).toISOString().slice(11, 19)} {l.task ? `[${l.task}] ` : ''}
                {l.message}
              </div>
            ))}
      </div>
    </section>
  );
}

function Schedules({ apiKey }: { apiKey: string }) {
  const schedules = usePoll<Schedule[]>('Schedules', 'schedules', fetchSchedules, 15_000);
  const [error, setError] = useState<string | undefined>(undefined);
  return (
    <section className="panel mlops-panel" aria-label="Schedules">
      <div className="panel-head">
        <h2>Schedules</h2>
        {error !== undefined && <span className="form-error">{error}</span>}
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
                    onChange={(e) => {
                      setScheduleEnabled(s.id, e.target.checked, apiKey).then(
                        () => {
                          setError(undefined);
                          schedules.refresh();
                        },
                        (err: unknown) => {
                          setError(err instanceof Error ? err.message : String(err));
                        },
                      );
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

export function PipelinesPage() {
  const [flowFilter, setFlowFilter] = useState('');
  const [stateFilter, setStateFilter] = useState<FlowRunState | ''>('');
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [apiKey, setApiKey] = useState(() => sessionStorage.getItem(API_KEY_STORAGE) ?? '');
  const flows = usePoll<FlowInfo[]>('Flows', 'flows', fetchFlows, 60_000);
  const runs = usePoll<FlowRun[]>(
    'Flow runs',
    `${flowFilter}|${stateFilter}`,
    (s) =>
      fetchFlowRuns(
        {
          ...(flowFilter ? { flow: flowFilter } : {}),
          ...(stateFilter ? { state: stateFilter } : {}),
        },
        s,
      ),
    REFRESH_MS,
  );
  const now = Date.now();
  const messages = [flows.error, runs.error].filter((m): m is BannerMessage => m !== undefined);
  const list = runs.data ?? [];
  return (
    <PageShell tag="pipelines">
      <ErrorBanner messages={messages} />
      <>
        <section className="panel mlops-panel" aria-label="Start a flow">
          <div className="panel-head">
            <h2>Start a flow</h2>
          </div>
          {flows.data && (
            <StartForm
              flows={flows.data}
              apiKey={apiKey}
              setApiKey={setApiKey}
              onStarted={(id) => {
                setSelected(id);
                runs.refresh();
              }}
            />
          )}
        </section>
        <div className="pipelines-grid">
          <section className="panel mlops-panel" aria-label="Flow runs">
            <div className="panel-head">
              <h2>Flow runs</h2>
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
              <p className="empty">No flow runs yet; start one above.</p>
            ) : (
              <div className="table-wrap">
                <table className="data-table">
                  <thead>
                    <tr>
                      <th>Flow</th>
                      <th>State</th>
                      <th>Started (UTC)</th>
                      <th>Duration</th>
                      <th>Attempts</th>
                      <th>Run</th>
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
            <RunDetail key={selected} id={selected} apiKey={apiKey} onChanged={runs.refresh} />
          ) : (
            <div className="panel mlops-panel empty">Select a run to see its tasks and logs.</div>
          )}
        </div>
        <Schedules apiKey={apiKey} />
      </>
    </PageShell>
  );
}
