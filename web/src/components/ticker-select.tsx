// The ticker select of the page header, listing the tickers the server has.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  const list = tickers.data;
  return (
    <label className="ticker-picker">
      <span className="ticker-label">{t('common.ticker')}</span>
      <select
        data-testid={testId}
        value={value ?? ''}
        disabled={!list || list.length === 0}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      >
        {!list && (
          <option value="">
            {tickers.isError ? t('common.unavailable') : t('common.loading')}
          </option>
        )}
        {list?.length === 0 && <option value="">{t('common.noTickers')}</option>}
        {list?.map((t) => (
          <option key={t.symbol} value={t.symbol}>
            {t.symbol}
          </option>
        ))}
      </select>
    </label>
  );
}
