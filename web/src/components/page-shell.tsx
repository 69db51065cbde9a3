// Shared frame of every page: brand, navigation, the page's controls and its body.
import type { ReactNode } from 'react';
import { TopNav } from './top-nav';

function Logo() {
  return (
    <svg className="logo" viewBox="0 0 16 16" aria-hidden="true">
      <rect width="16" height="16" rx="3" />
      <path d="M2 12l4-4 3 2 5-6" />
    </svg>
  );
}

export function PageShell({
  tag,
  actions,
  children,
}: {
  /** A word or two beside the brand naming the page, e.g. "model registry". */
  tag: string;
  /** The page's own controls (ticker select, ...), at the right of the header. */
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <Logo />
          <span className="brand-name">stockops</span>
          <span className="brand-tag">{tag}</span>
        </div>
        <TopNav />
        {actions !== undefined && <div className="topbar-actions">{actions}</div>}
      </header>
      {children}
    </div>
  );
}
