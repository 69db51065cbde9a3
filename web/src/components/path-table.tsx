// The forecast path as a table: each trading day's close with its 80% and 95% bounds and where the number comes from.
import type { Forecast } from '@stockops/api';
import { useTranslation } from 'react-i18next';
import { DASH, formatPrice, formatShortDay, intervalAt } from '../lib';

function Bounds({ lower, upper }: { lower?: number; upper?: number }) {
  if (lower === undefined || upper === undefined) {
    return <>{DASH}</>;
  }
  // Two lines on a phone: the bounds wrap at the dash instead of widening the table.
  return (
    <span className="bounds">
      <span>{formatPrice(lower)}</span> <span>– {formatPrice(upper)}</span>
    </span>
  );
}

export function PathTable({ forecast }: { forecast: Forecast }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="data-table path-table" data-testid="path-table">
        <caption className="sr-only">{t('forecast.pathCaption', { days: forecast.days })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('forecast.date')}</th>
            <th scope="col" className="num">
              {t('forecast.close')}
            </th>
            <th scope="col" className="num">
              {t('forecast.intervalLegend', { level: 80 })}
            </th>
            <th scope="col" className="num">
              {t('forecast.intervalLegend', { level: 95 })}
            </th>
            <th scope="col" className="source-col">
              {t('forecast.source')}
            </th>
          </tr>
        </thead>
        <tbody>
          {forecast.path.map((p) => {
            const i80 = intervalAt(p.interval, 0.8);
            const i95 = intervalAt(p.interval, 0.95);
            return (
              <tr key={p.date} data-source={p.source}>
                <td>
                  <span className="path-day">{p.day}</span> {formatShortDay(p.date)}
                  {/* On a phone the source column is hidden and the source shows under the date. */}
                  <span className={`source source-${p.source} source-inline`} aria-hidden="true">
                    {t(`forecast.sources.${p.source}`)}
                  </span>
                </td>
                <td className="num">{formatPrice(p.predictedClose)}</td>
                <td className="num">
                  <Bounds lower={i80?.lower} upper={i80?.upper} />
                </td>
                <td className="num">
                  <Bounds lower={i95?.lower} upper={i95?.upper} />
                </td>
                <td className="source-col">
                  <span
                    className={`source source-${p.source}`}
                    title={t(`forecast.sourceTitles.${p.source}`)}
                  >
                    {t(`forecast.sources.${p.source}`)}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
