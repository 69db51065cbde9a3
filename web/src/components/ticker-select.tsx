// The ticker select of the page header, listing the tickers the server has.
import { useQuery } from '@tanstack/react-query';
import { queries } from '../lib';

export function TickerSelect({
  value,
  onChange,
  testId,
}: {
  value: string | undefined;
  onChange: (symbol: string) => void;
  testId: string;
}) {
  const tickers = useQuery(queries.tickers());
  const list = tickers.data;
  return (
    <label className="ticker-picker">
      <span className="ticker-label">Ticker</span>
      <select
        data-testid={testId}
        value={value ?? ''}
        disabled={!list || list.length === 0}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      >
        {!list && <option value="">{tickers.isError ? 'Unavailable' : 'Loading…'}</option>}
        {list?.length === 0 && <option value="">No tickers</option>}
        {list?.map((t) => (
          <option key={t.symbol} value={t.symbol}>
            {t.symbol}
          </option>
        ))}
      </select>
    </label>
  );
}
