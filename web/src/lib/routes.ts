// The UI's client-side routes: the pages in the top bar, old paths that moved, and what an unknown path gets.

export type PageId = 'forecast' | 'experiments' | 'models' | 'flows' | 'live';

export interface NavPage {
  id: PageId;
  path: string;
  label: string;
}

/** Pages in the top bar, in order. A new page adds one entry here and one branch in app.tsx. */
export const NAV_PAGES: readonly NavPage[] = [
  { id: 'forecast', path: '/', label: 'Forecast' },
  { id: 'experiments', path: '/experiments', label: 'Experiments' },
  { id: 'models', path: '/models', label: 'Models' },
  { id: 'flows', path: '/flows', label: 'Flows' },
  { id: 'live', path: '/live', label: 'Live' },
];

/** Paths that moved; bookmarks of the old ones keep working. */
const MOVED: Readonly<Record<string, string>> = {
  // The page was called "Pipelines" before the orchestration got one name, "flow".
  '/pipelines': '/flows',
};

export type Route =
  { kind: 'page'; page: PageId } | { kind: 'redirect'; to: string } | { kind: 'not-found' };

/** "/flows/" and "/flows" are the same page. */
function normalise(pathname: string): string {
  const trimmed = pathname.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** The route of a location; a redirect keeps the query string and fragment. */
export function resolveRoute(pathname: string, search = '', hash = ''): Route {
  const path = normalise(pathname);
  const page = NAV_PAGES.find((p) => p.path === path);
  if (page) {
    return { kind: 'page', page: page.id };
  }
  const moved = MOVED[path];
  if (moved !== undefined) {
    return { kind: 'redirect', to: `${moved}${search}${hash}` };
  }
  return { kind: 'not-found' };
}

/** Whether a top-bar link is the page being shown. */
export function isActive(page: NavPage, pathname: string): boolean {
  return normalise(pathname) === page.path;
}
