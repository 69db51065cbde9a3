// The page for a path no page has: says so and links to the pages there are.
import { Trans, useTranslation } from 'react-i18next';
import { AppLink, PageShell } from '../components';
import { useLocation } from '../hooks';
import { NAV_PAGES } from '../lib';

export function NotFoundPage() {
  const { pathname } = useLocation();
  const { t } = useTranslation();
  return (
    <PageShell title={t('notFound.title')}>
      <section className="panel mlops-panel not-found" data-testid="not-found">
        <h1>{t('notFound.title')}</h1>
        <p className="muted">
          <Trans
            i18nKey="notFound.text"
            values={{ path: pathname }}
            components={{ code: <code className="mono" /> }}
          />
        </p>
        <ul className="not-found-links">
          {NAV_PAGES.map((p) => (
            <li key={p.path}>
              <AppLink to={p.path}>{t(p.labelKey)}</AppLink>
            </li>
          ))}
        </ul>
      </section>
    </PageShell>
  );
}
