// Typed fetch helpers for tracked runs, registered models, the alias audit log and manual champion moves.
import { request } from './api';

export interface Run {
  id: string;
  experimentId: string;
  experimentName: string;
  name: string;
  status: string;
  startTime: number;
  endTime: number | null;
  params: Record<string, string>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
}

export interface MetricPoint {
  key: string;
  value: number;
  step: number;
}

export interface ModelVersion {
  name: string;
  version: number;
  source: string;
  runId: string;
  createdAt: number;
  tags: Record<string, string>;
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  createdAt: number;
  latestVersion: number | null;
  aliases: Record<string, number>;
  versions: ModelVersion[];
}

export interface AliasEvent {
  id: number;
  name: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  actor: string;
  reason: string;
  metrics: Record<string, number>;
  at: number;
}

export interface TrackingInfo {
  backend: 'built-in' | 'mlflow';
  mlflowUrl: string | null;
  namePrefix: string;
}

export function fetchRuns(ticker: string, horizon: number, signal?: AbortSignal) {
  const q = new URLSearchParams({ ticker, horizon: String(horizon), limit: '200' });
  return request<Run[]>(`/api/runs?${q.toString()}`, {}, signal);
}

export function fetchRun(id: string, signal?: AbortSignal) {
  return request<Run>(`/api/runs/${id}`, {}, signal);
}

export function fetchMetricHistory(runId: string, key: string, signal?: AbortSignal) {
  return request<MetricPoint[]>(
    `/api/runs/${runId}/metrics/${encodeURIComponent(key)}`,
    {},
    signal,
  );
}

export function fetchModels(signal?: AbortSignal) {
  return request<RegisteredModel[]>('/api/models', {}, signal);
}

export function fetchAliasHistory(name: string, signal?: AbortSignal) {
  return request<AliasEvent[]>(`/api/models/${encodeURIComponent(name)}/history`, {}, signal);
}

export async function fetchTracking(signal?: AbortSignal): Promise<TrackingInfo> {
  const h = await request<{ tracking?: TrackingInfo }>('/api/health', {}, signal);
  return h.tracking ?? { backend: 'built-in', mlflowUrl: null, namePrefix: '' };
}

export function setChampion(name: string, version: number, reason: string, apiKey: string) {
  return request<{ fromVersion: number | null; toVersion: number }>(
    `/api/models/${encodeURIComponent(name)}/aliases/champion`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
      body: JSON.stringify({ version, reason }),
    },
  );
}

/** MLflow UI pages, when MLflow is the backend. */
export const mlflowRunUrl = (t: TrackingInfo | undefined, run: Pick<Run, 'id' | 'experimentId'>) =>
  t?.mlflowUrl ? `${t.mlflowUrl}/#/experiments/${run.experimentId}/runs/${run.id}` : undefined;

export const mlflowVersionUrl = (t: TrackingInfo | undefined, name: string, version: number) =>
  t?.mlflowUrl
    ? `${t.mlflowUrl}/#/models/${encodeURIComponent(t.namePrefix + name)}/versions/${version}`
    : undefined;
