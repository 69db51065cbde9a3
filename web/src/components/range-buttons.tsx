// Segmented control for the chart's visible period.
import { RANGES, type RangeKey } from '../lib';

interface RangeButtonsProps {
  value: RangeKey;
  onChange: (range: RangeKey) => void;
}

export function RangeButtons({ value, onChange }: RangeButtonsProps) {
  return (
    <div className="segmented" role="group" aria-label="Visible period">
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
          {range}
        </button>
      ))}
    </div>
  );
}
