// The API key the user typed, kept in one place (localStorage) so every form, tab and request sends the same x-api-key.

const STORAGE_KEY = 'stockops.apiKey';

type Listener = () => void;

const listeners = new Set<Listener>();

// Storage can be unavailable (private windows, blocked cookies); the key then lives for the page only.
function load(): string {
  try {
    return globalThis.localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

let current = load();

function emit(): void {
  for (const l of listeners) {
    l();
  }
}

/** A store in the shape `useSyncExternalStore` takes; the API client reads it on every call. */
export const apiKeyStore = {
  get: (): string => current,
  set: (key: string): void => {
    current = key;
    try {
      if (key === '') {
        globalThis.localStorage.removeItem(STORAGE_KEY);
      } else {
        globalThis.localStorage.setItem(STORAGE_KEY, key);
      }
    } catch {
      // Kept in memory only; see load().
    }
    emit();
  },
  subscribe: (listener: Listener): (() => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

// A key typed in another tab applies here too.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === STORAGE_KEY) {
      current = e.newValue ?? '';
      emit();
    }
  });
}
