// A small line chart of the last minutes, one line per process: the Live page's CPU, memory, traffic and latency.
// Plain SVG: a handful of polylines redrawn every 2 s need no chart library, and the lines share one time axis.
import { useTranslation } from 'react-i18next';

export interface LiveSeries {
  name: string;
  color: string;
  /** [time in ms, value], oldest first. */
  points: readonly (readonly [number, number])[];
  dashed?: boolean;
}

const W = 300;
const H = 100;

export function LiveChart({
  title,
  series,
  now,
  windowMs,
  format,
}: {
  title: string;
  series: readonly LiveSeries[];
  now: number;
  windowMs: number;
  format: (v: number) => string;
}) {
  const { t } = useTranslation();
  const values = series.flatMap((s) => s.points.map((p) => p[1]));
  const max = Math.max(...values, 0) * 1.1 || 1;
  const x = (time: number) => ((time - (now - windowMs)) / windowMs) * W;
  const y = (v: number) => H - (v / max) * H;
  const latest = series
    .map((s) => ({ s, last: s.points[s.points.length - 1] }))
    .filter((l) => l.last !== undefined && !l.s.dashed);
  return (
    <figure className="live-chart" aria-label={title}>
      <figcaption>
        <span>{title}</span>
        <span className="live-chart-now">
          {latest.map(({ s, last }) => (
            <span key={s.name} style={{ color: s.color }} title={s.name}>
              {format(last?.[1] ?? 0)}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={title}>
        <line className="live-grid" x1="0" x2={W} y1={H / 2} y2={H / 2} />
        {series.map((s) => (
          <polyline
            key={`${s.name}${s.dashed ? '-dashed' : ''}`}
            fill="none"
            stroke={s.color}
            strokeWidth="1.5"
            strokeDasharray={s.dashed ? '4 3' : undefined}
            vectorEffect="non-scaling-stroke"
            points={s.points
              .map(([time, v]) => `${x(time).toFixed(1)},${y(v).toFixed(1)}`)
              .join(' ')}
          />
        ))}
      </svg>
      <div className="live-chart-axis">
        <span>{t('live.axisAgo', { minutes: Math.round(windowMs / 60_000) })}</span>
        <span>{t('live.axisMax', { value: format(max / 1.1) })}</span>
        <span>{t('live.axisNow')}</span>
      </div>
    </figure>
  );
}
