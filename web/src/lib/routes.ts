// The UI's client-side routes: the pages in the top bar, old paths that moved, and what an unknown path gets.

export type PageId =
  | 'overview'
  | 'forecast'
  | 'datasets'
  | 'recipes'
  | 'experiments'
  | 'models'
  | 'predictions'
  | 'flows'
  | 'live';

export interface NavPage {
  id: PageId;
  path: string;
  /** The page's name in the resources (nav.<id>). */
  labelKey: `nav.${PageId}`;
}

const page = (id: PageId, path: string): NavPage => ({ id, path, labelKey: `nav.${id}` });

/** Pages in the top bar, in order. A new page adds one entry here and one branch in app.tsx. */
export const NAV_PAGES: readonly NavPage[] = [
  page('overview', '/'),
  page('forecast', '/forecast'),
  page('datasets', '/datasets'),
  page('recipes', '/recipes'),
  page('experiments', '/experiments'),
  page('models', '/models'),
  page('predictions', '/predictions'),
  page('flows', '/flows'),
  page('live', '/live'),
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
  // The forecast viewer was the home page: its `/?ticker=` links go on to where it lives now.
  if (path === '/' && new URLSearchParams(search).has('ticker')) {
    return { kind: 'redirect', to: `/forecast${search}${hash}` };
  }
  const found = NAV_PAGES.find((p) => p.path === path);
  if (found) {
    return { kind: 'page', page: found.id };
  }
  const moved = MOVED[path];
  if (moved !== undefined) {
    return { kind: 'redirect', to: `${moved}${search}${hash}` };
  }
  return { kind: 'not-found' };
}

/** Whether a top-bar link is the page being shown. */
export function isActive(p: NavPage, pathname: string): boolean {
  return normalise(pathname) === p.path;
}

/** The path of a page with a query, e.g. the Forecast page of one ticker. */
export function pagePath(id: PageId, query: Record<string, string> = {}): string {
  const path = NAV_PAGES.find((p) => p.id === id)?.path ?? '/';
  const q = new URLSearchParams(query).toString();
  return q === '' ? path : `${path}?${q}`;
}
