// The one react-query client: retries only failures that may pass, and a short freshness window shared by every page.
import { QueryClient } from '@tanstack/react-query';
import { isTransient } from './api-client';

const MAX_RETRIES = 2;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Pages opened one after another within this window share answers instead of refetching.
        staleTime: 5_000,
        retry: (failures, err) => failures < MAX_RETRIES && isTransient(err),
      },
      mutations: { retry: false },
    },
  });
}
