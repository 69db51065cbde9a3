// React hook that loads one API resource per key, cancelling the request a newer key supersedes.
import { useEffect, useState } from 'react';
import { ApiError, errorMessage, isAbort } from './api';

export type ApiState<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; code: string; message: string };

/**
 * Loads `load` whenever `key` changes; an undefined key or loader means "nothing to load yet". Switching
 * tickers quickly must never let a slow, older answer overwrite a newer one, hence the abort.
 */
export function useApi<T>(
  key: string | undefined,
  load: ((signal: AbortSignal) => Promise<T>) | undefined,
): ApiState<T> {
  const [state, setState] = useState<ApiState<T>>({ status: 'idle' });

  useEffect(() => {
    if (key === undefined || load === undefined) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading' });
    void load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) {
          setState({ status: 'ok', data });
        }
      },
      (err: unknown) => {
        if (controller.signal.aborted || isAbort(err)) {
          return;
        }
        setState({
          status: 'error',
          code: err instanceof ApiError ? err.code : 'CLIENT_ERROR',
          message: errorMessage(err),
        });
      },
    );
    return () => {
      controller.abort();
    };
    // `load` is rebuilt on every render; the key alone says when the resource changed.
  }, [key]);

  return state;
}
