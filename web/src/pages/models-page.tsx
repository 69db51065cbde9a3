// Models: registered versions with aliases and gate decisions, the alias audit log, manual promote and rollback.
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
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
          text: t('models.moved', {
            from: promote.data.fromVersion ?? '—',
            to: promote.data.toVersion,
          }),
        }
      : undefined;
  return (
    <form
      className="promote-form"
      aria-label={t('models.moveByHand')}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        <span>{t('models.version')}</span>
        <select
          data-testid="promote-version"
          value={target ?? ''}
          onChange={(e) => {
            setVersion(Number(e.target.value));
          }}
        >
          {versions.map((v) => (
            <option key={v} value={v}>
              {v === champion
                ? t('models.versionChampion', { v })
                : t('models.versionShort', { v })}
            </option>
          ))}
        </select>
      </label>
      <label className="grow">
        <span>{t('models.reason')}</span>
        <input
          data-testid="promote-reason"
          value={reason}
          required
          maxLength={500}
          placeholder={t('models.reasonPlaceholder')}
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
        title={alreadyChampion ? t('models.alreadyTitle', { v: target }) : undefined}
      >
        {target !== undefined && champion !== undefined && target < champion
          ? t('models.rollBack')
          : t('models.promote')}
      </button>
      {status && (
        <span className={status.kind === 'error' ? 'form-error' : 'form-ok'} role="status">
          {status.text}
        </span>
      )}
      {!status && alreadyChampion && (
        <span className="hint" data-testid="promote-hint">
          {t('models.alreadyHint', { v: target })}
        </span>
      )}
    </form>
  );
}

export function ModelsPage() {
  const { t: tr } = useTranslation();
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
    [tr('nav.models'), models],
    [tr('models.auditLog'), history],
  ]);

  return (
    <PageShell
      title={tr('nav.models')}
      actions={
        <label className="ticker-picker">
          <span className="ticker-label">{tr('common.model')}</span>
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
        <div className="panel mlops-panel empty">{tr('models.none')}</div>
      )}
      {model && (
        <>
          <section className="panel mlops-panel" aria-label={tr('models.versions')}>
            <div className="panel-head">
              <h2>
                {model.name}{' '}
                <span className="muted">
                  · {tr('models.versionCount', { count: versions.length })} ·{' '}
                  {tr('experiments.backend', { backend: t?.backend ?? '…' })}
                </span>
              </h2>
              <div className="alias-summary">
                {Object.entries(model.aliases).map(([a, v]) => (
                  <span key={a} className={`alias alias-${a}`}>
                    {tr('models.aliasAt', { alias: tr(`aliases.${a}`, { defaultValue: a }), v })}
                  </span>
                ))}
              </div>
            </div>
            <div className="table-wrap" tabIndex={0}>
              <table className="data-table" data-testid="versions-table">
                <thead>
                  <tr>
                    <th scope="col">{tr('models.version')}</th>
                    <th scope="col">{tr('models.aliases')}</th>
                    <th scope="col">{tr('models.kind')}</th>
                    <th scope="col">{tr('models.registered')}</th>
                    <th scope="col">{tr('experiments.columns.rmse')}</th>
                    <th scope="col">{tr('experiments.columns.rmse_naive')}</th>
                    <th scope="col">{tr('experiments.columns.skill')}</th>
                    <th scope="col">{tr('experiments.gate')}</th>
                    <th scope="col">{tr('experiments.run')}</th>
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
                            {tr('common.mlflow')}
                          </ExternalLink>
                        </td>
                        <td>
                          {v.aliases.map((a) => (
                            <span key={a} className={`alias alias-${a}`}>
                              {tr(`aliases.${a}`, { defaultValue: a })}
                            </span>
                          ))}
                        </td>
                        <td>
                          {v.tags.kind === undefined
                            ? '—'
                            : tr(`models.kinds.${v.tags.kind}`, { defaultValue: v.tags.kind })}
                        </td>
                        <td>{formatTime(v.createdAt)}</td>
                        <td>{formatMetric(Number(v.tags.rmse))}</td>
                        <td>{formatMetric(Number(v.tags.rmse_naive))}</td>
                        <td className={skill > 0 ? 'up' : 'down'}>{formatPercent(skill)}</td>
                        <td className="decision">
                          {run?.tags['stockops.promotion.decision'] ?? '—'}
                        </td>
                        <td className="mono">
                          {v.runId.slice(0, 8)}{' '}
                          {run && (
                            <ExternalLink href={mlflowRunUrl(t, run)}>
                              {tr('common.mlflow')}
                            </ExternalLink>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>

          <section className="panel mlops-panel" aria-label={tr('models.promoteOrRollBack')}>
            <div className="panel-head">
              <h2>{tr('models.moveByHand')}</h2>
              <span className="hint">{tr('models.moveHint')}</span>
            </div>
            <PromoteForm
              key={model.name}
              name={model.name}
              versions={versions.map((v) => v.version)}
              champion={model.aliases.champion}
            />
          </section>

          <section className="panel mlops-panel" aria-label={tr('models.auditLog')}>
            <div className="panel-head">
              <h2>{tr('models.auditLog')}</h2>
              <span className="hint">{tr('models.auditHint')}</span>
            </div>
            {history.data?.length === 0 && <div className="empty">{tr('models.noMoves')}</div>}
            {history.data && history.data.length > 0 && (
              <div className="table-wrap" tabIndex={0}>
                <table className="data-table" data-testid="audit-table">
                  <thead>
                    <tr>
                      <th scope="col">{tr('models.when')}</th>
                      <th scope="col">{tr('models.alias')}</th>
                      <th scope="col">{tr('models.move')}</th>
                      <th scope="col">{tr('models.actor')}</th>
                      <th scope="col">{tr('models.reasonCol')}</th>
                      <th scope="col">{tr('models.metrics')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {history.data.map((e) => (
                      <tr key={e.id}>
                        <td>{formatTime(e.at)}</td>
                        <td>
                          <span className={`alias alias-${e.alias}`}>
                            {tr(`aliases.${e.alias}`, { defaultValue: e.alias })}
                          </span>
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
