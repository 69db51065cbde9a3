// The web's one client of the HTTP API: the contract's endpoints, every answer checked against its schema, the stored API key sent.
import { ApiError, createApiClient } from '@stockops/api';
import { i18n } from '../i18n';
import { apiKeyStore } from './api-key-store';

export const api = createApiClient({ apiKey: () => apiKeyStore.get() });

/**
 * A failure as the UI shows it: the server's code, and a sentence in the reader's language saying what
 * to do when the code has one in the resources (errors.<CODE>), else the server's own message.
 */
export function describeError(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) {
    const message = i18n.t(`errors.${err.code}`, {
      defaultValue: err.message,
      field: err.field ?? '',
      detail: err.message,
    });
    return { code: err.code, message };
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
