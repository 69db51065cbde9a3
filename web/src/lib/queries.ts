// Every server resource the UI reads, as react-query options: its key, the contract's endpoint, and how often it refreshes.
import { endpoints, type HorizonValue, type QueryOf } from '@stockops/api';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from './api-client';
import { isEnded } from './flow-runs';

/** Flow runs change by the second while they run (polled only while /ws/flow-runs is not open). */
export const FLOW_RUNS_POLL_MS = 3000;
/** An ETL's steps take a second or two each on a handful of tickers. */
const ETL_POLL_MS = 1000;
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
  overview: ['overview'] as const,
  tickers: ['tickers'] as const,
  ticker: (symbol: string) => ['tickers', symbol, 'detail'] as const,
  quarantine: (symbol: string) => ['tickers', symbol, 'quarantine'] as const,
  etlRuns: ['etl-runs'] as const,
  etlRunsOf: (flowRun: string) => ['etl-runs', { flowRun }] as const,
  recipes: ['recipes'] as const,
  recipe: (id: string) => ['recipes', id] as const,
  alerts: ['alerts'] as const,
  forecastLog: (filter: Record<string, unknown>) => ['forecast-log', filter] as const,
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

/** Overview and dataset views refresh on their own: an ETL or a training elsewhere changes them. */
const OVERVIEW_POLL_MS = 30_000;

export const queries = {
  overview: () =>
    queryOptions({
      queryKey: queryKeys.overview,
      queryFn: ({ signal }) => api.call(endpoints.overview, { signal }),
      refetchInterval: OVERVIEW_POLL_MS,
    }),

  ticker: (symbol: string) =>
    queryOptions({
      queryKey: queryKeys.ticker(symbol),
      queryFn: ({ signal }) => api.call(endpoints.ticker, { params: { symbol }, signal }),
    }),

  quarantine: (symbol: string) =>
    queryOptions({
      queryKey: queryKeys.quarantine(symbol),
      queryFn: ({ signal }) =>
        api.call(endpoints.quarantine, { query: { ticker: symbol }, signal }),
    }),

  /** The ETL run(s) of one etl flow run, polled while it runs so its steps show as they finish. */
  etlRunsOf: (flowRun: string) =>
    queryOptions({
      queryKey: queryKeys.etlRunsOf(flowRun),
      queryFn: ({ signal }) => api.call(endpoints.etlRuns, { query: { flowRun }, signal }),
      refetchInterval: (q) =>
        q.state.data?.some((r) => r.status !== 'running') === true ? false : ETL_POLL_MS,
    }),

  recipes: () =>
    queryOptions({
      queryKey: queryKeys.recipes,
      queryFn: ({ signal }) => api.call(endpoints.recipes, { signal }),
    }),

  /** Open alerts (active or acknowledged), newest first. */
  alerts: () =>
    queryOptions({
      queryKey: queryKeys.alerts,
      queryFn: ({ signal }) => api.call(endpoints.alerts, { query: { state: 'open' }, signal }),
      refetchInterval: OVERVIEW_POLL_MS,
    }),

  forecastLog: (filter: QueryOf<typeof endpoints.predictions>) =>
    queryOptions({
      queryKey: queryKeys.forecastLog(filter),
      queryFn: ({ signal }) => api.call(endpoints.predictions, { query: filter, signal }),
      placeholderData: keepPreviousData,
      retry: false,
    }),

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

  /** `poll: false` while the page follows /ws/flow-runs, which writes changes into this list. */
  flowRuns: (filter: FlowRunFilter, options: { poll?: boolean } = {}) =>
    queryOptions({
      queryKey: queryKeys.flowRunList(filter),
      queryFn: ({ signal }) =>
        api.call(endpoints.flowRuns, { query: { ...filter, limit: FLOW_RUNS_LIMIT }, signal }),
      refetchInterval: options.poll === false ? false : FLOW_RUNS_POLL_MS,
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
