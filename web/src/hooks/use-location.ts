// Client-side navigation: the current location as React state, and navigate() for links and redirects.
import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
  };
}

/** The address bar's path, query and fragment, updated on back/forward and on navigate(). */
export function useLocation(): { pathname: string; search: string; hash: string } {
  // One string snapshot, so React sees a change only when the address changes.
  const href = useSyncExternalStore(subscribe, () => window.location.href);
  const url = new URL(href);
  return { pathname: url.pathname, search: url.search, hash: url.hash };
}

/** Goes to a path without a page load; `replace` leaves no history entry (redirects). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    window.history.replaceState(null, '', to);
  } else {
    window.history.pushState(null, '', to);
  }
  window.dispatchEvent(new PopStateEvent('popstate'));
}
