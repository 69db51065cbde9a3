// Starting and reading flow runs on behalf of a client: train and ETL requests, the job view of a run, schedules with their next time.
import {
  FlowRunNotFoundError,
  JobNotFoundError,
  UnknownTickerError,
  type FlowRunDetail,
  type FlowRunRecord,
  type FlowService,
  type Horizon,
  type JobQueue,
  type ModelKind,
  type ScheduleRecord,
  type TickerSymbol,
} from '../core/index.js';
import type { Job, JobAccepted, Schedule, SchedulePatch } from '../api/index.js';
import type { ServiceDeps } from './deps.js';

/** Starts a `train` flow run for a stored ticker (ridge at horizon 1 unless said otherwise). */
export async function startTraining(
  deps: Pick<ServiceDeps, 'prices'>,
  flows: FlowService,
  request: { ticker: TickerSymbol; model?: ModelKind | undefined; horizon?: Horizon | undefined },
  actor: string,
  options: { idempotencyKey?: string | undefined } = {},
): Promise<JobAccepted> {
  // Said now rather than when the run fails in the background.
  if (!(await deps.prices.getTicker(request.ticker))) {
    throw new UnknownTickerError(request.ticker);
  }
  const jobId = await flows.start(
    'train',
    {
      ticker: request.ticker,
      model: request.model ?? 'ridge',
      horizon: request.horizon ?? 1,
      actor,
    },
    idempotency('train', options.idempotencyKey),
  );
  return { id: jobId, jobId };
}

/**
 * The flow store's idempotency key for a client's Idempotency-Key, scoped to the flow so one key cannot
 * return a run of another flow.
 */
export function idempotency(
  flow: string,
  clientKey: string | undefined,
): { idempotencyKey?: string } {
  return clientKey === undefined ? {} : { idempotencyKey: `client:${flow}:${clientKey}` };
}

/** Starts an `etl` flow run; no tickers means the default set. */
export async function startEtl(
  flows: FlowService,
  request: {
    tickers?: TickerSymbol[] | undefined;
    full?: boolean | undefined;
    snapshot?: boolean | undefined;
  },
  trigger: string,
): Promise<JobAccepted> {
  const jobId = await flows.start('etl', {
    ...(request.tickers ? { tickers: request.tickers } : {}),
    ...(request.full !== undefined ? { full: request.full } : {}),
    ...(request.snapshot !== undefined ? { snapshot: request.snapshot } : {}),
    trigger,
  });
  return { id: jobId, jobId };
}

/** A flow run with its task runs and logs, or FlowRunNotFoundError. */
export async function getFlowRun(flows: FlowService, id: string): Promise<FlowRunDetail> {
  const run = await flows.get(id);
  if (!run) {
    throw new FlowRunNotFoundError(id);
  }
  return run;
}

function jobStatus(state: FlowRunRecord['state']): Job['status'] {
  switch (state) {
    case 'Completed':
      return 'completed';
    case 'Failed':
    case 'Cancelled':
      return 'failed';
    case 'Queued':
    case 'Scheduled':
      return 'queued';
    case 'Running':
    case 'Retrying':
    case 'Crashed':
      return 'running';
  }
}

/**
 * A flow run in the job shape `/api/jobs/{id}` has always had. The flow run in the store is the truth,
 * whichever runner ran it; a job the queue ran outside the flow store (none ships today) is read from
 * the queue.
 */
export async function getJob(flows: FlowService, queue: JobQueue, id: string): Promise<Job> {
  const run = await flows.get(id);
  if (run) {
    const status = jobStatus(run.state);
    return {
      id: run.id,
      name: run.flow,
      status,
      ...(status === 'completed' ? { result: run.result } : {}),
      ...(status === 'failed'
        ? { error: run.error ?? { code: run.state.toUpperCase(), message: run.state } }
        : {}),
      createdAt: run.createdAt,
      ...(run.startedAt !== null ? { startedAt: run.startedAt } : {}),
      ...(run.endedAt !== null ? { endedAt: run.endedAt } : {}),
    };
  }
  const job = await queue.get(id);
  if (!job) {
    throw new JobNotFoundError(id);
  }
  const { data: _data, ...rest } = job;
  return rest;
}

const withNext = (flows: FlowService, s: ScheduleRecord): Schedule => ({
  ...s,
  nextRunAt: flows.nextRunAt(s),
});

export async function listSchedules(flows: FlowService): Promise<Schedule[]> {
  return (await flows.listSchedules()).map((s) => withNext(flows, s));
}

export async function updateSchedule(
  flows: FlowService,
  id: string,
  patch: SchedulePatch,
): Promise<Schedule> {
  return withNext(flows, await flows.updateSchedule(id, patch));
}
