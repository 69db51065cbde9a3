// The app: the page for the address bar's path, an old path sent on to its new place, or the 404 page.
import { useEffect } from 'react';
import { navigate, useFirstStart, useLocation } from './hooks';
import { resolveRoute, type PageId } from './lib';
import {
  ExperimentsPage,
  FlowsPage,
  ForecastPage,
  LivePage,
  ModelsPage,
  NotFoundPage,
} from './pages';

function Page({ id }: { id: PageId }) {
  switch (id) {
    case 'forecast':
      return <ForecastPage />;
    case 'experiments':
      return <ExperimentsPage />;
    case 'models':
      return <ModelsPage />;
    case 'flows':
      return <FlowsPage />;
    case 'live':
      return <LivePage />;
  }
}

function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return null;
}

export function App() {
  useFirstStart();
  const { pathname, search, hash } = useLocation();
  const route = resolveRoute(pathname, search, hash);
  switch (route.kind) {
    case 'page':
      return <Page id={route.page} />;
    case 'redirect':
      return <Redirect to={route.to} />;
    case 'not-found':
      return <NotFoundPage />;
  }
}
