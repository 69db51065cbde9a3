// The Flows page's runs from /ws/flow-runs: each change is written into the cached lists and refreshes the run's detail.
import type { FlowRun } from '@stockops/api';
import { useQueryClient } from '@tanstack/react-query';
import { applyRunChange, queryKeys, type FlowRunFilter, type LiveStatus } from '../lib';
import { useLiveChannel } from './use-live-channel';

/** While it reports `open`, the lists need no polling. */
export function useFlowRunStream(): LiveStatus {
  const client = useQueryClient();
  return useLiveChannel('flow-runs', {}, (m) => {
    if (m.type !== 'flow-run.changed') {
      return;
    }
    const run = m.data.run;
    for (const q of client.getQueryCache().findAll({ queryKey: [...queryKeys.flowRuns, 'list'] })) {
      const filter = (q.queryKey[2] ?? {}) as FlowRunFilter;
      client.setQueryData<FlowRun[]>(q.queryKey, (old) => applyRunChange(old, filter, run));
    }
    // Task runs and logs are not in the event: the detail, when shown, is read again.
    void client.invalidateQueries({ queryKey: queryKeys.flowRun(run.id) });
  });
}
