// The page for a path no page has: says so and links to the pages there are.
import { AppLink, PageShell } from '../components';
import { useLocation } from '../hooks';
import { NAV_PAGES } from '../lib';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <PageShell tag="not found">
      <main className="panel mlops-panel not-found" data-testid="not-found">
        <h1>Page not found</h1>
        <p className="muted">
          There is no page at <code className="mono">{pathname}</code>. The pages are:
        </p>
        <ul className="not-found-links">
          {NAV_PAGES.map((p) => (
            <li key={p.path}>
              <AppLink to={p.path}>{p.label}</AppLink>
            </li>
          ))}
        </ul>
      </main>
    </PageShell>
  );
}
