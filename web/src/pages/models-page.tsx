// Models: registered versions with aliases and gate decisions, the alias audit log, manual promote and rollback.
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiKeyField, ErrorBanner, ExternalLink, PageShell, queryErrors } from '../components';
import { useSetChampion } from '../hooks';
import {
  defaultPromoteTarget,
  describeError,
  formatMetric,
  formatPercent,
  formatTime,
  mlflowRunUrl,
  mlflowVersionUrl,
  plural,
  queries,
} from '../lib';

/** Versions whose runs are looked up for their gate decision; older ones show a dash. */
const RUNS_LOOKED_UP = 30;

function PromoteForm({
  name,
  versions,
  champion,
}: {
  name: string;
  versions: number[];
  champion: number | undefined;
}) {
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [reason, setReason] = useState('');
  const promote = useSetChampion(name);
  const target = version ?? defaultPromoteTarget(versions, champion);
  const alreadyChampion = target !== undefined && target === champion;
  const submit = () => {
    if (target === undefined) {
      return;
    }
    promote.mutate(
      { version: target, reason },
      {
        onSuccess: () => {
          setReason('');
        },
      },
    );
  };
  const status = promote.isError
    ? { kind: 'error', text: describeError(promote.error).message }
    : promote.isSuccess
      ? {
          kind: 'ok',
          text: `champion moved v${promote.data.fromVersion ?? '—'} → v${promote.data.toVersion}`,
        }
      : undefined;
  return (
    <form
      className="promote-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        <span>Version</span>
        <select
          data-testid="promote-version"
          value={target ?? ''}
          onChange={(e) => {
            setVersion(Number(e.target.value));
          }}
        >
          {versions.map((v) => (
            <option key={v} value={v}>
              v{v}
              {v === champion ? ' (champion)' : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="grow">
        <span>Reason (goes to the audit log)</span>
        <input
          data-testid="promote-reason"
          value={reason}
          required
          maxLength={500}
          placeholder="e.g. roll back: v3 drifted on live data"
          onChange={(e) => {
            setReason(e.target.value);
          }}
        />
      </label>
      <ApiKeyField />
      <button
        type="submit"
        className="primary"
        disabled={
          promote.isPending || reason.trim() === '' || target === undefined || alreadyChampion
        }
        title={alreadyChampion ? `v${target} is already champion` : undefined}
      >
        {target !== undefined && champion !== undefined && target < champion
          ? 'Roll back'
          : 'Promote'}{' '}
        to champion
      </button>
      {status && (
        <span className={status.kind === 'error' ? 'form-error' : 'form-ok'} role="status">
          {status.text}
        </span>
      )}
      {!status && alreadyChampion && (
        <span className="hint" data-testid="promote-hint">
          v{target} is already champion; pick another version to promote or roll back to.
        </span>
      )}
    </form>
  );
}

export function ModelsPage() {
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const models = useQuery(queries.models());
  const tracking = useQuery(queries.health());
  const list = models.data;
  const model = list?.find((m) => m.name === picked) ?? list?.[0];
  const name = model?.name;
  const history = useQuery({ ...queries.modelHistory(name ?? ''), enabled: name !== undefined });
  const versions = model?.versions ?? [];
  // A version whose run is gone still lists; its decision shows as a dash.
  const runs = useQueries({
    queries: versions
      .slice(0, RUNS_LOOKED_UP)
      .map((v) => ({ ...queries.run(v.runId), retry: false })),
  });
  const runById = new Map(runs.flatMap((q) => (q.data ? [[q.data.id, q.data] as const] : [])));
  const t = tracking.data?.tracking;

  const messages = queryErrors([
    ['Models', models],
    ['Audit log', history],
  ]);

  return (
    <PageShell
      tag="model registry"
      actions={
        <label className="ticker-picker">
          <span className="ticker-label">Model</span>
          <select
            data-testid="model-select"
            value={name ?? ''}
            onChange={(e) => {
              setPicked(e.target.value);
            }}
          >
            {list?.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <ErrorBanner messages={messages} />
      {list && list.length === 0 && (
        <div className="panel mlops-panel empty">No registered models yet; train one first.</div>
      )}
      {model && (
        <>
          <section className="panel mlops-panel" aria-label="Versions">
            <div className="panel-head">
              <h2>
                {model.name}{' '}
                <span className="muted">
                  · {plural(versions.length, 'version')} · backend {t?.backend ?? '…'}
                </span>
              </h2>
              <div className="alias-summary">
                {Object.entries(model.aliases).map(([a, v]) => (
                  <span key={a} className={`alias alias-${a}`}>
                    {a} → v{v}
                  </span>
                ))}
              </div>
            </div>
            <div className="table-wrap">
              <table className="data-table" data-testid="versions-table">
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Aliases</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Registered (UTC)</th>
                    <th scope="col">RMSE</th>
                    <th scope="col">RMSE naive</th>
                    <th scope="col">Skill</th>
                    <th scope="col">Gate decision</th>
                    <th scope="col">Run</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v) => {
                    const run = runById.get(v.runId);
                    const skill = Number(v.tags.skill);
                    return (
                      <tr key={v.version}>
                        <td className="mono">
                          v{v.version}{' '}
                          <ExternalLink href={mlflowVersionUrl(t, v.name, v.version)}>
                            MLflow
                          </ExternalLink>
                        </td>
                        <td>
                          {v.aliases.map((a) => (
                            <span key={a} className={`alias alias-${a}`}>
                              {a}
                            </span>
                          ))}
                        </td>
                        <td>{v.tags.kind ?? '—'}</td>
                        <td>{formatTime(v.createdAt)}</td>
                        <td>{formatMetric(Number(v.tags.rmse))}</td>
                        <td>{formatMetric(Number(v.tags.rmse_naive))}</td>
                        <td className={skill > 0 ? 'up' : 'down'}>{formatPercent(skill)}</td>
                        <td className="decision">
                          {run?.tags['stockops.promotion.decision'] ?? '—'}
                        </td>
                        <td className="mono">
                          {v.runId.slice(0, 8)}{' '}
                          {run && <ExternalLink href={mlflowRunUrl(t, run)}>MLflow</ExternalLink>}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>

          <section className="panel mlops-panel" aria-label="Promote or roll back">
            <div className="panel-head">
              <h2>Move champion by hand</h2>
              <span className="hint">
                Serving resolves champion on every request, so the move applies at once.
              </span>
            </div>
            <PromoteForm
              key={model.name}
              name={model.name}
              versions={versions.map((v) => v.version)}
              champion={model.aliases.champion}
            />
          </section>

          <section className="panel mlops-panel" aria-label="Alias audit log">
            <div className="panel-head">
              <h2>Alias audit log</h2>
              <span className="hint">
                Every alias move: when, who, why and the numbers behind it.
              </span>
            </div>
            {history.data?.length === 0 && <div className="empty">No alias moves recorded.</div>}
            {history.data && history.data.length > 0 && (
              <div className="table-wrap">
                <table className="data-table" data-testid="audit-table">
                  <thead>
                    <tr>
                      <th scope="col">When (UTC)</th>
                      <th scope="col">Alias</th>
                      <th scope="col">Move</th>
                      <th scope="col">Actor</th>
                      <th scope="col">Reason</th>
                      <th scope="col">Metrics</th>
                    </tr>
                  </thead>
                  <tbody>
                    {history.data.map((e) => (
                      <tr key={e.id}>
                        <td>{formatTime(e.at)}</td>
                        <td>
                          <span className={`alias alias-${e.alias}`}>{e.alias}</span>
                        </td>
                        <td className="mono">
                          {e.fromVersion === null ? '—' : `v${e.fromVersion}`} →{' '}
                          {e.toVersion === null ? '—' : `v${e.toVersion}`}
                        </td>
                        <td>{e.actor}</td>
                        <td className="decision">{e.reason}</td>
                        <td className="mono small">
                          {Object.entries(e.metrics)
                            .map(
                              ([k, v]) =>
                                `${k} ${Number.isInteger(v) ? String(v) : formatMetric(v, 4)}`,
                            )
                            .join(' · ')}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </PageShell>
  );
}
