// A flow run's or task run's state as a coloured badge.
import type { FlowRunState } from '../lib';

export function StateBadge({ state }: { state: FlowRunState }) {
  return <span className={`state state-${state}`}>{state}</span>;
}
