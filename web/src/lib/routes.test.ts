// Unit tests of the client-side routes: pages, moved paths (Pipelines, the old home page's forecast links) and unknown paths.
import { describe, expect, it } from 'vitest';
import { isActive, NAV_PAGES, pagePath, resolveRoute } from './routes';

describe('resolveRoute', () => {
  it('finds every page of the top bar, with or without a trailing slash', () => {
    expect(resolveRoute('/')).toEqual({ kind: 'page', page: 'overview' });
    expect(resolveRoute('/forecast')).toEqual({ kind: 'page', page: 'forecast' });
    expect(resolveRoute('/flows')).toEqual({ kind: 'page', page: 'flows' });
    expect(resolveRoute('/live')).toEqual({ kind: 'page', page: 'live' });
    expect(resolveRoute('/models/')).toEqual({ kind: 'page', page: 'models' });
  });

  it('sends the old Pipelines page to Flows, keeping the query and fragment', () => {
    expect(resolveRoute('/pipelines')).toEqual({ kind: 'redirect', to: '/flows' });
    expect(resolveRoute('/pipelines/', '?flow=etl', '#runs')).toEqual({
      kind: 'redirect',
      to: '/flows?flow=etl#runs',
    });
  });

  it('sends the old home page forecast links (/?ticker=) to the Forecast page', () => {
    expect(resolveRoute('/', '?ticker=%5EGSPC')).toEqual({
      kind: 'redirect',
      to: '/forecast?ticker=%5EGSPC',
    });
    expect(resolveRoute('/', '?lang=en')).toEqual({ kind: 'page', page: 'overview' });
  });

  it('answers not-found for a path no page has', () => {
    expect(resolveRoute('/nope')).toEqual({ kind: 'not-found' });
    expect(resolveRoute('/experiments/extra')).toEqual({ kind: 'not-found' });
  });
});

describe('NAV_PAGES', () => {
  it('lists the pages in order, each named in the resources', () => {
    expect(NAV_PAGES.map((p) => p.labelKey)).toEqual([
      'nav.overview',
      'nav.forecast',
      'nav.datasets',
      'nav.recipes',
      'nav.experiments',
      'nav.models',
      'nav.predictions',
      'nav.flows',
      'nav.live',
    ]);
  });

  it('marks only the page shown as active', () => {
    const [overview, forecast] = NAV_PAGES;
    expect(overview && isActive(overview, '/')).toBe(true);
    expect(overview && isActive(overview, '/forecast')).toBe(false);
    expect(forecast && isActive(forecast, '/forecast/')).toBe(true);
  });

  it('builds a page path with its query', () => {
    expect(pagePath('forecast', { ticker: '^GSPC' })).toBe('/forecast?ticker=%5EGSPC');
    expect(pagePath('datasets')).toBe('/datasets');
  });
});
