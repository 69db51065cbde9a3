// Typed calls of the flow API: flows, flow runs (pipeline runs, not tracked experiment runs) and schedules.
import { request } from './api';

export type FlowRunState =
  | 'Scheduled'
  | 'Queued'
  | 'Running'
  | 'Completed'
  | 'Failed'
  | 'Cancelled'
  | 'Crashed'
  | 'Retrying';

export const FLOW_RUN_STATES: readonly FlowRunState[] = [
  'Scheduled',
  'Queued',
  'Running',
  'Retrying',
  'Crashed',
  'Completed',
  'Failed',
  'Cancelled',
];

export const ENDED: readonly FlowRunState[] = ['Completed', 'Failed', 'Cancelled'];

export interface FlowInfo {
  name: string;
  description: string;
  tasks: string[];
  parameters: Record<string, { type: string; description: string; default?: unknown }>;
}

export interface FlowRun {
  id: string;
  flow: string;
  state: FlowRunState;
  attempts: number;
  parameters: Record<string, unknown>;
  result: unknown;
  error: { code: string; message: string } | null;
  parentId: string | null;
  scheduleId: string | null;
  worker: string | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
}

export interface TaskRun {
  task: string;
  state: FlowRunState;
  attempts: number;
  error: string | null;
  startedAt: number | null;
  endedAt: number | null;
}

export interface FlowLogLine {
  at: number;
  level: string;
  task: string | null;
  message: string;
}

export interface FlowRunDetail extends FlowRun {
  taskRuns: TaskRun[];
  logs: FlowLogLine[];
}

export interface Schedule {
  id: string;
  flow: string;
  cron: string;
  timezone: string;
  parameters: Record<string, unknown>;
  enabled: boolean;
  description: string;
  nextRunAt: number | null;
}

const mutating = (method: string, body: unknown, apiKey: string): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
  body: JSON.stringify(body),
});

export const fetchFlows = (signal?: AbortSignal) => request<FlowInfo[]>('/api/flows', {}, signal);

export function fetchFlowRuns(
  filter: { flow?: string; state?: FlowRunState },
  signal?: AbortSignal,
): Promise<FlowRun[]> {
  const q = new URLSearchParams({ limit: '100' });
  if (filter.flow) {
    q.set('flow', filter.flow);
  }
  if (filter.state) {
    q.set('state', filter.state);
  }
  return request<FlowRun[]>(`/api/flow-runs?${q.toString()}`, {}, signal);
}

export const fetchFlowRun = (id: string, signal?: AbortSignal) =>
  request<FlowRunDetail>(`/api/flow-runs/${encodeURIComponent(id)}`, {}, signal);

export const startFlow = (name: string, parameters: unknown, apiKey: string) =>
  request<{ id: string }>(
    `/api/flows/${encodeURIComponent(name)}/runs`,
    mutating('POST', parameters, apiKey),
  );

export const cancelFlowRun = (id: string, apiKey: string) =>
  request<FlowRun>(`/api/flow-runs/${encodeURIComponent(id)}/cancel`, mutating('POST', {}, apiKey));

export const fetchSchedules = (signal?: AbortSignal) =>
  request<Schedule[]>('/api/schedules', {}, signal);

export const setScheduleEnabled = (id: string, enabled: boolean, apiKey: string) =>
  request<Schedule>(
    `/api/schedules/${encodeURIComponent(id)}`,
    mutating('PUT', { enabled }, apiKey),
  );
