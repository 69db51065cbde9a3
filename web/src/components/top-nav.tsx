// Top navigation between the pages; client-side links (the server answers index.html for every page path).
import type { AnchorHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, useLocation } from '../hooks';
import { isActive, NAV_PAGES } from '../lib';

/** A same-tab click navigates without a page load; modified clicks (new tab, ...) stay the browser's. */
export function AppLink({
  to,
  className,
  children,
  ...rest
}: { to: string } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  return (
    <a
      {...rest}
      href={to}
      className={className}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) {
          return;
        }
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

export function TopNav() {
  const { pathname } = useLocation();
  const { t } = useTranslation();
  return (
    <nav className="top-nav" aria-label={t('shell.pages')}>
      {NAV_PAGES.map((p) => {
        const active = isActive(p, pathname);
        return (
          <AppLink
            key={p.path}
            to={p.path}
            className={`top-nav-link${active ? ' active' : ''}`}
            aria-current={active ? 'page' : undefined}
          >
            {t(p.labelKey)}
          </AppLink>
        );
      })}
    </nav>
  );
}
