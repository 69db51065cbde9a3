// Metric by walk-forward fold for several runs (and naive), as a small SVG line chart.
import { useTranslation } from 'react-i18next';
export interface FoldSeries {
  label: string;
  color: string;
  dashed?: boolean;
  points: { step: number; value: number }[];
}

export const SERIES_COLORS = ['#38bdf8', '#c084fc', '#22c55e', '#f5b041', '#f87171', '#e879f9'];

export function FoldChart({ series, metric }: { series: FoldSeries[]; metric: string }) {
  const { t } = useTranslation();
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) {
    return <div className="empty">{t('experiments.noFolds', { metric })}</div>;
  }
  const W = 640;
  const H = 240;
  const pad = { l: 64, r: 12, t: 12, b: 28 };
  const steps = all.map((p) => p.step);
  const values = all.map((p) => p.value);
  const x0 = Math.min(...steps);
  const x1 = Math.max(...steps);
  let y0 = Math.min(...values);
  let y1 = Math.max(...values);
  if (y0 === y1) {
    y0 -= Math.abs(y0) * 0.1 + 1e-9;
    y1 += Math.abs(y1) * 0.1 + 1e-9;
  }
  const sx = (s: number) => pad.l + ((s - x0) / Math.max(1, x1 - x0)) * (W - pad.l - pad.r);
  const sy = (v: number) => pad.t + (1 - (v - y0) / (y1 - y0)) * (H - pad.t - pad.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => y0 + f * (y1 - y0));
  return (
    <figure className="fold-chart" aria-label={t('experiments.byFold', { metric })}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('experiments.byFold', { metric })}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={W - pad.r} y1={sy(t)} y2={sy(t)} className="grid" />
            <text x={pad.l - 6} y={sy(t) + 4} textAnchor="end" className="axis">
              {t.toPrecision(3)}
            </text>
          </g>
        ))}
        {Array.from({ length: x1 - x0 + 1 }, (_, i) => x0 + i).map((s) => (
          <text key={s} x={sx(s)} y={H - 8} textAnchor="middle" className="axis">
            {s}
          </text>
        ))}
        {series.map((s) => (
          <g key={s.label}>
            <polyline
              fill="none"
              stroke={s.color}
              strokeWidth={2}
              strokeDasharray={s.dashed ? '5 4' : undefined}
              points={s.points.map((p) => `${sx(p.step)},${sy(p.value)}`).join(' ')}
            />
            {s.points.map((p) => (
              <circle key={p.step} cx={sx(p.step)} cy={sy(p.value)} r={3} fill={s.color}>
                <title>
                  {t('experiments.foldPoint', {
                    label: s.label,
                    fold: p.step,
                    value: p.value.toPrecision(5),
                  })}
                </title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.label} className="legend-item">
            <span
              className={`swatch${s.dashed ? ' dashed' : ''}`}
              style={s.dashed ? { borderColor: s.color } : { background: s.color }}
            />
            {s.label}
          </span>
        ))}
        <span className="legend-item muted">{t('experiments.foldAxis')}</span>
      </figcaption>
    </figure>
  );
}
