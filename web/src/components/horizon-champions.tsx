// Per horizon: the champion the forecast path uses, its walk-forward skill beside naive and why it serves; a missing horizon can be trained from here.
import { HORIZONS, type Forecast, type HorizonValue as Horizon } from '@stockops/api';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRefreshOnRunEnd, useTrain } from '../hooks';
import { DASH, describeError, formatPercent as pct, queries } from '../lib';
import { ApiKeyField } from './api-key-field';
import { StateBadge } from './state-badge';

/** What the button trains: ridge, gated against naive (which the train flow registers first). */
const TRAIN_KIND = 'ridge';

function Skill({ skill }: { skill: number | undefined }) {
  const tone = skill === undefined ? '' : skill > 0 ? 'up' : skill < 0 ? 'down' : 'flat';
  return <span className={tone}>{pct(skill, 2, true)}</span>;
}

/** Starts a train flow run for one missing horizon and follows it; the path refreshes when it ends. */
function TrainMissing({ symbol, missing }: { symbol: string; missing: readonly Horizon[] }) {
  const { t } = useTranslation();
  const train = useTrain();
  const [asked, setAsked] = useState<Horizon | undefined>(undefined);
  const jobId = train.data?.jobId;
  const flowRun = useQuery({ ...queries.flowRun(jobId ?? ''), enabled: jobId !== undefined });
  useRefreshOnRunEnd(flowRun.data ? [flowRun.data] : undefined);
  return (
    <form
      className="promote-form train-form"
      aria-label={t('forecast.trainMissing')}
      onSubmit={(e) => {
        e.preventDefault();
      }}
    >
      <ApiKeyField />
      {missing.map((h) => (
        <button
          key={h}
          className="primary"
          type="button"
          disabled={train.isPending}
          onClick={() => {
            setAsked(h);
            train.mutate({ ticker: symbol, model: TRAIN_KIND, horizon: h });
          }}
        >
          {t('forecast.trainAt', { kind: TRAIN_KIND, h })}
        </button>
      ))}
      {train.isError && (
        <span className="form-error" role="status">
          {describeError(train.error).message}
        </span>
      )}
      {jobId !== undefined && asked !== undefined && (
        <span className="form-ok" role="status">
          {t('forecast.trainRun', { h: asked })} <span className="mono">{jobId.slice(0, 8)}</span>{' '}
          {flowRun.data ? <StateBadge state={flowRun.data.state} /> : '…'}
        </span>
      )}
    </form>
  );
}

export function HorizonChampions({ symbol, forecast }: { symbol: string; forecast: Forecast }) {
  const { t } = useTranslation();
  const missing = HORIZONS.filter((h) => forecast.missingHorizons.includes(h));
  return (
    <>
      <div className="table-wrap">
        <table className="data-table champions-table" data-testid="champions-table">
          <thead>
            <tr>
              <th scope="col">{t('common.horizon')}</th>
              <th scope="col">{t('overview.champion')}</th>
              <th scope="col" className="num">
                {t('forecast.skillVsNaive')}
              </th>
              <th scope="col">{t('forecast.whyServes')}</th>
            </tr>
          </thead>
          <tbody>
            {HORIZONS.map((h) => {
              const m = forecast.models.find((x) => x.horizon === h);
              return (
                <tr key={h} data-horizon={h}>
                  <td>{t('common.horizonShort', { h })}</td>
                  {m ? (
                    <>
                      <td className="mono">
                        v{m.version} {m.kind}
                      </td>
                      <td className="num">
                        <Skill skill={m.metrics?.skill} />
                        <span className="vs small">
                          {' '}
                          {t('forecast.rmseVs', {
                            rmse: pct(m.metrics?.rmse, 2),
                            naive: pct(m.metrics?.rmseNaive, 2),
                          })}
                        </span>
                      </td>
                      <td className="decision">{m.servedBecause ?? DASH}</td>
                    </>
                  ) : (
                    <>
                      <td className="muted">{t('forecast.noChampion')}</td>
                      <td className="num">{DASH}</td>
                      <td className="decision">{t('forecast.noChampionNote')}</td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {missing.length > 0 && <TrainMissing symbol={symbol} missing={missing} />}
    </>
  );
}
