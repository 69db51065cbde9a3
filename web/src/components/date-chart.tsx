// A small line chart over trading dates (realised skill, coverage): one line per series, optional dashed
// reference lines (naive's zero, an interval's nominal level). Plain SVG like the Live page's charts.
import { useTranslation } from 'react-i18next';
import { formatShortDay } from '../lib';

export interface DateSeries {
  name: string;
  color: string;
  /** [YYYY-MM-DD, value], in any order. */
  points: readonly (readonly [string, number])[];
  dashed?: boolean;
}

const W = 320;
const H = 120;

export function DateChart({
  title,
  series,
  format,
  testId,
}: {
  title: string;
  series: readonly DateSeries[];
  format: (v: number) => string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const dates = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort();
  const values = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  const lo = Math.min(...values, 0);
  const hi = Math.max(...values, 0);
  const pad = (hi - lo) * 0.1 || 0.1;
  const [min, max] = [lo - pad, hi + pad];
  const x = (d: string) =>
    dates.length <= 1 ? W / 2 : (dates.indexOf(d) / (dates.length - 1)) * W;
  const y = (v: number) => H - ((v - min) / (max - min)) * H;
  const first = dates[0];
  const last = dates[dates.length - 1];
  return (
    <figure className="live-chart date-chart" aria-label={title} data-testid={testId}>
      <figcaption>
        <span>{title}</span>
        <span className="live-chart-now">
          {series
            .filter((s) => !s.dashed)
            .map((s) => {
              const newest = [...s.points].sort((a, b) => a[0].localeCompare(b[0])).at(-1);
              return (
                <span key={s.name} style={{ color: s.color }} title={s.name}>
                  {newest ? format(newest[1]) : '—'}
                </span>
              );
            })}
        </span>
      </figcaption>
      {dates.length === 0 ? (
        <p className="muted small">{t('monitoring.noPoints')}</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={title}>
          <line className="live-grid" x1="0" x2={W} y1={y(0)} y2={y(0)} />
          {series.map((s) => {
            const pts = [...s.points]
              .filter((p) => Number.isFinite(p[1]))
              .sort((a, b) => a[0].localeCompare(b[0]));
            return pts.length === 1 && pts[0] ? (
              <circle
                key={s.name}
                cx={x(pts[0][0])}
                cy={y(pts[0][1])}
                r="3"
                fill={s.color}
                vectorEffect="non-scaling-stroke"
              />
            ) : (
              <polyline
                key={s.name}
                fill="none"
                stroke={s.color}
                strokeWidth="1.5"
                strokeDasharray={s.dashed ? '4 3' : undefined}
                vectorEffect="non-scaling-stroke"
                points={pts.map(([d, v]) => `${x(d).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
              />
            );
          })}
        </svg>
      )}
      <div className="live-chart-axis">
        <span>{first ? formatShortDay(first) : ''}</span>
        <span className="legend">
          {series.map((s) => (
            <span key={s.name} style={{ color: s.color }}>
              <span
                className={s.dashed ? 'swatch swatch-dashed' : 'swatch'}
                style={{ borderColor: s.color }}
                aria-hidden="true"
              />
              {s.name}
            </span>
          ))}
        </span>
        <span>{last && last !== first ? formatShortDay(last) : ''}</span>
      </div>
    </figure>
  );
}
