// Shared frame of the MLOps pages: brand, navigation, a title and the page body.
import type { ReactNode } from 'react';
import { TopNav } from './nav';

export function PageShell({
  tag,
  actions,
  children,
}: {
  tag: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <svg className="logo" viewBox="0 0 16 16" aria-hidden="true">
            <rect width="16" height="16" rx="3" />
            <path d="M2 12l4-4 3 2 5-6" />
          </svg>
          <span className="brand-name">stockops</span>
          <span className="brand-tag">{tag}</span>
          <TopNav />
        </div>
        {actions}
      </header>
      {children}
    </div>
  );
}

export function ExternalLink({
  href,
  children,
}: {
  href: string | undefined;
  children: ReactNode;
}) {
  if (!href) {
    return null;
  }
  return (
    <a className="ext-link" href={href} target="_blank" rel="noreferrer">
      {children} ↗
    </a>
  );
}
