// The first start's bootstrap (sample data, first models) as the page sees it; when it finishes, every query is refetched.
import type { Health } from '@stockops/api';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { queries } from '../lib';

/** How often /api/health is asked while the first start prepares its data and models. */
const FIRST_START_POLL_MS = 2000;

/** pending, running, done or failed; undefined until the health check answers (or a server without one). */
export type FirstStartState = NonNullable<Health['bootstrap']>['state'] | undefined;

/**
 * The server listens before its first start has loaded the sample and trained a model, so a page
 * opened at once finds no tickers; it would stay empty until reloaded. While the bootstrap runs, the
 * health check is polled, and its end refreshes everything the page shows.
 */
export function useFirstStart(): FirstStartState {
  const client = useQueryClient();
  const health = useQuery({
    ...queries.health(),
    refetchInterval: (q) => {
      const state = q.state.data?.bootstrap?.state;
      return state === 'pending' || state === 'running' ? FIRST_START_POLL_MS : false;
    },
  });
  const state = health.data?.bootstrap?.state;
  const wasPreparing = useRef(false);
  useEffect(() => {
    if (state === 'pending' || state === 'running') {
      wasPreparing.current = true;
    } else if (state !== undefined && wasPreparing.current) {
      wasPreparing.current = false;
      void client.invalidateQueries();
    }
  }, [state, client]);
  return state;
}
