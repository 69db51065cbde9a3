// Unit tests of the client-side routes: pages, the moved Pipelines path and unknown paths.
import { describe, expect, it } from 'vitest';
import { isActive, NAV_PAGES, resolveRoute } from './routes';

describe('resolveRoute', () => {
  it('finds every page of the top bar, with or without a trailing slash', () => {
    expect(resolveRoute('/')).toEqual({ kind: 'page', page: 'forecast' });
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

  it('answers not-found for a path no page has, instead of showing the Forecast page', () => {
    expect(resolveRoute('/nope')).toEqual({ kind: 'not-found' });
    expect(resolveRoute('/experiments/extra')).toEqual({ kind: 'not-found' });
  });
});

describe('NAV_PAGES', () => {
  it('names the orchestration page "Flows"', () => {
    expect(NAV_PAGES.map((p) => p.label)).toEqual([
      'Forecast',
      'Experiments',
      'Models',
      'Flows',
      'Live',
    ]);
  });

  it('marks only the page shown as active', () => {
    const [forecast, experiments] = NAV_PAGES;
    expect(forecast && isActive(forecast, '/')).toBe(true);
    expect(forecast && isActive(forecast, '/experiments')).toBe(false);
    expect(experiments && isActive(experiments, '/experiments/')).toBe(true);
  });
});
