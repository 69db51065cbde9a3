// Every change the UI makes on the server, as react-query mutations that refresh the queries the change affects.
import { endpoints, type FlowRun, type TrainRequest } from '@stockops/api';
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
