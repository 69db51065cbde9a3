// Shared frame of every page: brand, navigation, the language switch, the page's controls and its body.
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './language-switch';
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
  title,
  actions,
  children,
}: {
  /** The page's name, shown beside the brand and in the window title. */
  title: string;
  /** The page's own controls (ticker select, ...), at the right of the header. */
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · stockops`;
  }, [title]);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="topbar">
        <div className="brand">
          <Logo />
          <span className="brand-name">stockops</span>
          <span className="brand-tag">{title}</span>
        </div>
        <TopNav />
        {actions !== undefined && <div className="topbar-actions">{actions}</div>}
        <LanguageSwitch />
      </header>
      <main id="main">{children}</main>
      <footer className="footer">{t('shell.disclaimer')}</footer>
    </div>
  );
}
