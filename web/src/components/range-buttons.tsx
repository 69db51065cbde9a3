// Segmented control for the chart's visible period.
import { useTranslation } from 'react-i18next';
import { RANGES, type RangeKey } from '../lib';

interface RangeButtonsProps {
  value: RangeKey;
  onChange: (range: RangeKey) => void;
}

export function RangeButtons({ value, onChange }: RangeButtonsProps) {
  const { t } = useTranslation();
  return (
    <div className="segmented" role="group" aria-label={t('forecast.range')}>
      {RANGES.map((range) => (
        <button
          key={range}
          type="button"
          className="segmented-item"
          aria-pressed={range === value}
          data-testid={`range-${range}`}
          onClick={() => {
            onChange(range);
          }}
        >
          {t(`ranges.${range}`)}
        </button>
      ))}
    </div>
  );
}
