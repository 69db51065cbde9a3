// When a flow run the page is watching ends, the data it wrote (tickers, tracked runs, versions, champions) is refetched.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { isEnded, queryKeys, type FlowRunState } from '../lib';

/**
 * Watches the states of the runs shown; a run seen before in a live state and now ended triggers one
 * refresh of what flows write. Runs first seen already ended trigger nothing: their data was there
 * when the page loaded.
 */
export function useRefreshOnRunEnd(
  runs: readonly { id: string; state: FlowRunState }[] | undefined,
): void {
  const client = useQueryClient();
  const live = useRef(new Set<string>());
  useEffect(() => {
    let ended = false;
    for (const r of runs ?? []) {
      if (!isEnded(r.state)) {
        live.current.add(r.id);
      } else if (live.current.delete(r.id)) {
        ended = true;
      }
    }
    if (ended) {
      for (const queryKey of [
        queryKeys.tickers,
        queryKeys.overview,
        queryKeys.runs,
        queryKeys.models,
        queryKeys.predictions,
      ]) {
        void client.invalidateQueries({ queryKey });
      }
    }
  }, [runs, client]);
}
