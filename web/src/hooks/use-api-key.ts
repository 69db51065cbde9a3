// The stored API key as React state: every field showing it and every request sending it agree.
import { useSyncExternalStore } from 'react';
import { apiKeyStore } from '../lib';

export function useApiKey(): [string, (key: string) => void] {
  const key = useSyncExternalStore(apiKeyStore.subscribe, apiKeyStore.get);
  return [key, apiKeyStore.set];
}
