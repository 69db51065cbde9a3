// The app: the page for the address bar's path (each page loaded on demand), an old path sent on to its new place, or the 404 page.
import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, useFirstStart, useLocation } from './hooks';
import { resolveRoute, type PageId } from './lib';

/** A page's own chunk: the first visit to a page loads it, the shell and the data layer are shared. */
const page = (load: () => Promise<ComponentType>) => lazy(async () => ({ default: await load() }));

const PAGES: Record<PageId | 'not-found', ComponentType> = {
  overview: page(async () => (await import('./pages/overview-page')).OverviewPage),
  forecast: page(async () => (await import('./pages/forecast-page')).ForecastPage),
  datasets: page(async () => (await import('./pages/datasets-page')).DatasetsPage),
  recipes: page(async () => (await import('./pages/recipes-page')).RecipesPage),
  experiments: page(async () => (await import('./pages/experiments-page')).ExperimentsPage),
  models: page(async () => (await import('./pages/models-page')).ModelsPage),
  predictions: page(async () => (await import('./pages/predictions-page')).PredictionsPage),
  flows: page(async () => (await import('./pages/flows-page')).FlowsPage),
  live: page(async () => (await import('./pages/live-page')).LivePage),
  'not-found': page(async () => (await import('./pages/not-found-page')).NotFoundPage),
};

function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return null;
}

function Loading() {
  const { t } = useTranslation();
  return (
    <div className="app">
      <p className="empty" role="status">
        {t('common.loading')}
      </p>
    </div>
  );
}

export function App() {
  useFirstStart();
  const { pathname, search, hash } = useLocation();
  const route = resolveRoute(pathname, search, hash);
  if (route.kind === 'redirect') {
    return <Redirect to={route.to} />;
  }
  const Page = PAGES[route.kind === 'page' ? route.page : 'not-found'];
  return (
    <Suspense fallback={<Loading />}>
      <Page />
    </Suspense>
  );
}
