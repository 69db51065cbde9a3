// The web's one client of the HTTP API: the contract's endpoints, every answer checked against its schema, the stored API key sent.
import { ApiError, createApiClient } from '@stockops/api';
import { apiKeyStore } from './api-key-store';

export const api = createApiClient({ apiKey: () => apiKeyStore.get() });

/** A failure as the error banner shows it: the server's code when there is one. */
export function describeError(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) {
    return { code: err.code, message: err.message };
  }
  return { code: 'CLIENT_ERROR', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Whether a failed query is worth another try: the network or the server (5xx) may recover; an
 * answer that breaks the contract or a request the server refused (4xx) will fail the same way again.
 */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof ApiError)) {
    return false;
  }
  return err.code === 'NETWORK' || (err.status !== undefined && err.status >= 500);
}
