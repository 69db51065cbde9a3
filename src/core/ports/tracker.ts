// The Tracker port: experiments and runs with params, metrics by step, tags, data set inputs and artifacts, in MLflow's terms.

export interface Experiment {
  id: string;
  name: string;
}

export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

export interface TrackedRun {
  id: string;
  experimentId: string;
  experimentName: string;
  name: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  params: Record<string, string>;
  /** Latest value of each metric key. */
  metrics: Record<string, number>;
  tags: Record<string, string>;
  artifactUri: string;
  /** Data sets the run was trained on (MLflow's run inputs). */
  datasets?: DatasetInput[];
}

/** A data set a run used: enough to find and verify the exact rows again. */
export interface DatasetInput {
  name: string;
  /** Content digest of the rows (hex). */
  digest: string;
  /** Where the rows came from, e.g. `stockops://prices/^GSPC`. */
  source: string;
  from: string;
  to: string;
  rows: number;
}

export interface RunSearch {
  experimentNames?: string[];
  /** Every tag given must match exactly. */
  tags?: Record<string, string>;
  /** @defaultValue 100 */
  limit?: number;
}

/** Experiment tracking in MLflow's model: experiments hold runs with params, metrics by step, tags, artifacts. */
export interface Tracker {
  getOrCreateExperiment(name: string): Promise<Experiment>;
  createRun(input: {
    experimentId: string;
    name: string;
    tags?: Record<string, string>;
  }): Promise<TrackedRun>;
  /** Params are write-once: logging a different value for a key fails. */
  logParams(runId: string, params: Record<string, string>): Promise<void>;
  logMetrics(runId: string, metrics: readonly MetricPoint[]): Promise<void>;
  setTags(runId: string, tags: Record<string, string>): Promise<void>;
  /** Records the training data set as a run input (MLflow's runs/log-inputs). */
  logDataset(runId: string, dataset: DatasetInput): Promise<void>;
  logArtifact(runId: string, path: string, bytes: Uint8Array): Promise<void>;
  getArtifact(runId: string, path: string): Promise<Uint8Array>;
  endRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>): Promise<void>;
  getRun(runId: string): Promise<TrackedRun>;
  getMetricHistory(runId: string, key: string): Promise<MetricPoint[]>;
  /** Newest first. */
  searchRuns(query: RunSearch): Promise<TrackedRun[]>;
}
