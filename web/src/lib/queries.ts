// Every server resource the UI reads, as react-query options: its key, the contract's endpoint, and how often it refreshes.
import { endpoints, type HorizonValue, type QueryOf } from '@stockops/api';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from './api-client';
import { isEnded } from './flow-runs';

/** Flow runs change by the second while they run. */
export const FLOW_RUNS_POLL_MS = 3000;
/** A schedule's next run moves only when it fires or someone edits it. */
export const SCHEDULES_POLL_MS = 15_000;
/** Runs and versions listed beside a chart; more than a page shows is never needed. */
const RUNS_LIMIT = 200;
const FLOW_RUNS_LIMIT = 100;

/** The flow runs list's filters, as the contract declares its query. */
export type FlowRunFilter = Pick<QueryOf<typeof endpoints.flowRuns>, 'flow' | 'state'>;

/**
 * Keys by resource, outermost first, so invalidating a prefix refreshes everything under it:
 * `['models']` also refreshes each model's alias history, `['flow-runs']` the list and every detail.
 */
export const queryKeys = {
  health: ['health'] as const,
  tickers: ['tickers'] as const,
  history: (symbol: string) => ['tickers', symbol, 'history'] as const,
  predictions: ['predict'] as const,
  prediction: (symbol: string, horizon: HorizonValue) => ['predict', symbol, horizon] as const,
  // Under 'predict' too: a new champion refreshes the path with every single-horizon forecast.
  forecast: (symbol: string, days: number) => ['predict', symbol, 'path', days] as const,
  runs: ['runs'] as const,
  runList: (ticker: string, horizon: HorizonValue) =>
    ['runs', 'list', { ticker, horizon }] as const,
  run: (id: string) => ['runs', 'detail', id] as const,
  metricHistory: (id: string, key: string) => ['runs', 'detail', id, 'metrics', key] as const,
  models: ['models'] as const,
  modelHistory: (name: string) => ['models', name, 'history'] as const,
  flows: ['flows'] as const,
  flowRuns: ['flow-runs'] as const,
  flowRunList: (filter: FlowRunFilter) => ['flow-runs', 'list', filter] as const,
  flowRun: (id: string) => ['flow-runs', 'detail', id] as const,
  schedules: ['schedules'] as const,
};

export const queries = {
  health: () =>
    queryOptions({
      queryKey: queryKeys.health,
      queryFn: ({ signal }) => api.call(endpoints.health, { signal }),
      staleTime: 60_000,
    }),

  tickers: () =>
    queryOptions({
      queryKey: queryKeys.tickers,
      queryFn: ({ signal }) => api.call(endpoints.tickers, { signal }),
    }),

  history: (symbol: string) =>
    queryOptions({
      queryKey: queryKeys.history(symbol),
      queryFn: ({ signal }) => api.call(endpoints.history, { params: { symbol }, signal }),
    }),

  prediction: (ticker: string, horizon: HorizonValue) =>
    queryOptions({
      queryKey: queryKeys.prediction(ticker, horizon),
      queryFn: ({ signal }) => api.call(endpoints.predict, { query: { ticker, horizon }, signal }),
    }),

  forecast: (ticker: string, days: number) =>
    queryOptions({
      queryKey: queryKeys.forecast(ticker, days),
      queryFn: ({ signal }) => api.call(endpoints.forecast, { query: { ticker, days }, signal }),
    }),

  runs: (ticker: string, horizon: HorizonValue) =>
    queryOptions({
      queryKey: queryKeys.runList(ticker, horizon),
      queryFn: ({ signal }) =>
        api.call(endpoints.runs, { query: { ticker, horizon, limit: RUNS_LIMIT }, signal }),
    }),

  run: (id: string) =>
    queryOptions({
      queryKey: queryKeys.run(id),
      queryFn: ({ signal }) => api.call(endpoints.run, { params: { id }, signal }),
    }),

  metricHistory: (id: string, key: string) =>
    queryOptions({
      queryKey: queryKeys.metricHistory(id, key),
      queryFn: ({ signal }) => api.call(endpoints.metricHistory, { params: { id, key }, signal }),
      // A finished run's metrics never change.
      staleTime: Number.POSITIVE_INFINITY,
    }),

  models: () =>
    queryOptions({
      queryKey: queryKeys.models,
      queryFn: ({ signal }) => api.call(endpoints.models, { signal }),
    }),

  modelHistory: (name: string) =>
    queryOptions({
      queryKey: queryKeys.modelHistory(name),
      queryFn: ({ signal }) => api.call(endpoints.modelHistory, { params: { name }, signal }),
    }),

  flows: () =>
    queryOptions({
      queryKey: queryKeys.flows,
      queryFn: ({ signal }) => api.call(endpoints.flows, { signal }),
      // The flows a server runs are fixed while it runs.
      staleTime: 5 * 60_000,
    }),

  flowRuns: (filter: FlowRunFilter) =>
    queryOptions({
      queryKey: queryKeys.flowRunList(filter),
      queryFn: ({ signal }) =>
        api.call(endpoints.flowRuns, { query: { ...filter, limit: FLOW_RUNS_LIMIT }, signal }),
      refetchInterval: FLOW_RUNS_POLL_MS,
      // A new filter keeps the old rows on screen until its answer comes, instead of a blank table.
      placeholderData: keepPreviousData,
    }),

  flowRun: (id: string) =>
    queryOptions({
      queryKey: queryKeys.flowRun(id),
      queryFn: ({ signal }) => api.call(endpoints.flowRun, { params: { id }, signal }),
      refetchInterval: (q) =>
        q.state.data !== undefined && isEnded(q.state.data.state) ? false : FLOW_RUNS_POLL_MS,
    }),

  schedules: () =>
    queryOptions({
      queryKey: queryKeys.schedules,
      queryFn: ({ signal }) => api.call(endpoints.schedules, { signal }),
      refetchInterval: SCHEDULES_POLL_MS,
    }),
};
