// Top navigation between the pages; client-side routes by path (the server answers index.html for all of them).
import { useEffect, useState } from 'react';

export interface NavPage {
  path: string;
  label: string;
}

/** Pages in the top bar, in order. A new page adds one entry here and one route in main.tsx. */
export const NAV_PAGES: NavPage[] = [
  { path: '/', label: 'Forecast' },
  { path: '/experiments', label: 'Experiments' },
  { path: '/models', label: 'Models' },
  { path: '/pipelines', label: 'Pipelines' },
];

export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current path, updated on back/forward and on navigate(). */
export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const on = () => {
      setPath(window.location.pathname);
    };
    window.addEventListener('popstate', on);
    return () => {
      window.removeEventListener('popstate', on);
    };
  }, []);
  return path;
}

export function TopNav() {
  const path = usePath();
  return (
    <nav className="top-nav" aria-label="Pages">
      {NAV_PAGES.map((p) => {
        const active = p.path === '/' ? path === '/' : path.startsWith(p.path);
        return (
          <a
            key={p.path}
            href={p.path}
            className={`top-nav-link${active ? ' active' : ''}`}
            aria-current={active ? 'page' : undefined}
            onClick={(e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) {
                return;
              }
              e.preventDefault();
              navigate(p.path);
            }}
          >
            {p.label}
          </a>
        );
      })}
    </nav>
  );
}
