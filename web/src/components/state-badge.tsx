// A flow run's or task run's state as a coloured badge.
import { useTranslation } from 'react-i18next';
import type { FlowRunState } from '../lib';

export function StateBadge({ state }: { state: FlowRunState }) {
  const { t } = useTranslation();
  return <span className={`state state-${state}`}>{t(`states.${state}`)}</span>;
}
