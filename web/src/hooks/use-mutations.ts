// Every change the UI makes on the server, as react-query mutations that refresh the queries the change affects.
import {
  endpoints,
  type EtlRequest,
  type FlowRun,
  type RecipeCreate,
  type RecipeRunRequestBody,
  type RecipeUpdate,
  type TrainRequest,
} from '@stockops/api';
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, queryKeys } from '../lib';

/** A new champion changes the registry and what every forecast is served by. */
function refreshChampion(client: QueryClient): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.models }),
    client.invalidateQueries({ queryKey: queryKeys.predictions }),
  ]);
}

export function useSetChampion(name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { version: number; reason: string }) =>
      api.call(endpoints.setChampion, { params: { name }, body: input }),
    onSuccess: () => refreshChampion(client),
  });
}

/** Starts a train flow run; its tracked run and version appear once it ends (useRefreshOnRunEnd). */
export function useTrain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TrainRequest) => api.call(endpoints.train, { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.flowRuns }),
  });
}

export function useStartFlow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { flow: string; parameters: Record<string, unknown> }) =>
      api.call(endpoints.startFlow, { params: { name: input.flow }, body: input.parameters }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.flowRuns }),
  });
}

export function useCancelFlowRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string): Promise<FlowRun> =>
      api.call(endpoints.cancelFlowRun, { params: { id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.flowRuns }),
  });
}

export function useSetScheduleEnabled() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; enabled: boolean }) =>
      api.call(endpoints.updateSchedule, {
        params: { id: input.id },
        body: { enabled: input.enabled },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.schedules }),
  });
}

/** Starts an `etl` flow run; the page follows it by its id. */
export function useStartEtl() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: EtlRequest) => api.call(endpoints.startEtl, { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.flowRuns }),
  });
}

/** Uploads a Yahoo CSV for one ticker; the ticker's data and quarantine change at once. */
export function useImportCsv() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { ticker: string; text: string }) =>
      api.call(endpoints.importCsv, {
        query: { ticker: input.ticker },
        raw: { bytes: input.text, contentType: 'text/csv' },
      }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.tickers }),
        client.invalidateQueries({ queryKey: queryKeys.overview }),
      ]),
  });
}

export function useSaveRecipe() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { create: RecipeCreate } | { id: string; update: RecipeUpdate }) =>
      'create' in input
        ? api.call(endpoints.createRecipe, { body: input.create })
        : api.call(endpoints.updateRecipe, { params: { id: input.id }, body: input.update }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.recipes }),
  });
}

export function useDeleteRecipe() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.call(endpoints.deleteRecipe, { params: { id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.recipes }),
  });
}

/** Trains or evaluates from a recipe for some tickers: one flow run per ticker and horizon. */
export function useRunRecipe() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; body: RecipeRunRequestBody }) =>
      api.call(endpoints.runRecipe, { params: { id: input.id }, body: input.body }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.flowRuns }),
  });
}
