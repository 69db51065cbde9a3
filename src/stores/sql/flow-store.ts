// Flow runs, task runs, run logs and schedules on the SQL store; leases and claims are single statements.
import {
  InternalError,
  type FlowLogLine,
  type FlowRunFilter,
  type FlowRunRecord,
  type FlowRunState,
  type FlowStore,
  type ScheduleRecord,
  type TaskRunRecord,
} from '../../core/index.js';
import type { SqlClient, SqlValue } from './client.js';

interface RunRow {
  id: string;
  flow: string;
  state: string;
  attempts: number;
  parameters: string;
  result: string | null;
  error: string | null;
  parent_id: string | null;
  schedule_id: string | null;
  idempotency_key: string | null;
  worker: string | null;
  heartbeat_at: string | number | null;
  cancel_requested: boolean;
  created_at: string | number;
  started_at: string | number | null;
  ended_at: string | number | null;
}

interface TaskRow {
  flow_run_id: string;
  task: string;
  state: string;
  attempts: number;
  idempotency_key: string;
  result: string | null;
  error: string | null;
  started_at: string | number | null;
  ended_at: string | number | null;
}

interface ScheduleRow {
  id: string;
  flow: string;
  cron: string;
  timezone: string;
  parameters: string;
  enabled: boolean;
  description: string;
  updated_at: string | number;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
const parse = (v: string | null): unknown => (v === null ? null : (JSON.parse(v) as unknown));
const ENDED = ['Completed', 'Failed', 'Cancelled'];

function toRun(r: RunRow): FlowRunRecord {
  return {
    id: r.id,
    flow: r.flow,
    state: r.state as FlowRunState,
    attempts: r.attempts,
    parameters: JSON.parse(r.parameters) as Record<string, unknown>,
    result: parse(r.result),
    error: parse(r.error) as FlowRunRecord['error'],
    parentId: r.parent_id,
    scheduleId: r.schedule_id,
    idempotencyKey: r.idempotency_key,
    worker: r.worker,
    heartbeatAt: num(r.heartbeat_at),
    cancelRequested: r.cancel_requested,
    createdAt: Number(r.created_at),
    startedAt: num(r.started_at),
    endedAt: num(r.ended_at),
  };
}

function toTask(r: TaskRow): TaskRunRecord {
  return {
    flowRunId: r.flow_run_id,
    task: r.task,
    state: r.state as FlowRunState,
    attempts: r.attempts,
    idempotencyKey: r.idempotency_key,
    result: parse(r.result),
    error: r.error,
    startedAt: num(r.started_at),
    endedAt: num(r.ended_at),
  };
}

function toSchedule(r: ScheduleRow): ScheduleRecord {
  return {
    id: r.id,
    flow: r.flow,
    cron: r.cron,
    timezone: r.timezone,
    parameters: JSON.parse(r.parameters) as Record<string, unknown>,
    enabled: r.enabled,
    description: r.description,
    updatedAt: Number(r.updated_at),
  };
}

export class SqlFlowStore implements FlowStore {
  constructor(private readonly db: SqlClient) {}

  async createRun(input: {
    id: string;
    flow: string;
    parameters: Record<string, unknown>;
    state: FlowRunState;
    parentId?: string | null;
    scheduleId?: string | null;
    idempotencyKey?: string | null;
  }): Promise<{ run: FlowRunRecord; created: boolean }> {
    const rows = await this.db.query<RunRow>(
      `insert into flow_runs (id, flow, state, parameters, parent_id, schedule_id, idempotency_key, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (idempotency_key) do nothing returning *`,
      [
        input.id,
        input.flow,
        input.state,
        JSON.stringify(input.parameters),
        input.parentId ?? null,
        input.scheduleId ?? null,
        input.idempotencyKey ?? null,
        Date.now(),
      ],
    );
    const row = rows[0];
    if (row) {
      return { run: toRun(row), created: true };
    }
    const existing = await this.db.query<RunRow>(
      'select * from flow_runs where idempotency_key = $1',
      [input.idempotencyKey ?? null],
    );
    const found = existing[0];
    if (!found) {
      throw new InternalError(
        `createRun expected flow run ${input.id} to be inserted or found by its idempotency key ` +
          `${JSON.stringify(input.idempotencyKey ?? null)}; found neither.`,
      );
    }
    return { run: toRun(found), created: false };
  }

  async getRun(id: string): Promise<FlowRunRecord | null> {
    const rows = await this.db.query<RunRow>('select * from flow_runs where id = $1', [id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  async listRuns(filter: FlowRunFilter): Promise<FlowRunRecord[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    for (const [col, v] of [
      ['flow', filter.flow],
      ['state', filter.state],
      ['parent_id', filter.parentId],
    ] as const) {
      if (v !== undefined) {
        params.push(v);
        where.push(`${col} = $${params.length}`);
      }
    }
    params.push(filter.limit ?? 100);
    const rows = await this.db.query<RunRow>(
      `select * from flow_runs ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
       order by created_at desc, id limit $${params.length}`,
      params,
    );
    return rows.map(toRun);
  }

  async claimRun(
    id: string,
    worker: string,
    now: number,
    leaseMs: number,
  ): Promise<FlowRunRecord | null> {
    // One conditional update: of two workers handed the same run, exactly one gets a row back.
    const rows = await this.db.query<RunRow>(
      `update flow_runs set state = 'Running',
         attempts = attempts + case when state = 'Scheduled' then 0 else 1 end, worker = $2, heartbeat_at = $3,
         started_at = coalesce(started_at, $3), ended_at = null
       where id = $1 and not cancel_requested and (state in ('Queued', 'Retrying', 'Crashed', 'Scheduled')
         or (state = 'Running' and (heartbeat_at is null or heartbeat_at < $4)))
       returning *`,
      [id, worker, now, now - leaseMs],
    );
    return rows[0] ? toRun(rows[0]) : null;
  }

  async heartbeat(id: string, worker: string, now: number): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      // A run swept as Crashed while its worker was only busy (a long synchronous step) is taken back by that
      // worker, unless another one has claimed it meanwhile (then worker differs and this returns false).
      `update flow_runs set heartbeat_at = $3, state = 'Running', error = case when state = 'Crashed' then null else error end
       where id = $1 and worker = $2 and state in ('Running', 'Crashed') returning id`,
      [id, worker, now],
    );
    return rows.length > 0;
  }

  async finishRun(
    id: string,
    worker: string | null,
    patch: {
      state: FlowRunState;
      result?: unknown;
      error?: { code: string; message: string } | null;
      endedAt?: number | null;
    },
  ): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `update flow_runs set state = $3, result = coalesce($4, result), error = $5, ended_at = $6
       where id = $1 and ($2::text is null or worker = $2) and state not in ('Completed', 'Failed', 'Cancelled')
       returning id`,
      [
        id,
        worker,
        patch.state,
        patch.result === undefined ? null : JSON.stringify(patch.result),
        patch.error ? JSON.stringify(patch.error) : null,
        patch.endedAt === undefined
          ? ENDED.includes(patch.state)
            ? Date.now()
            : null
          : patch.endedAt,
      ],
    );
    return rows.length > 0;
  }

  async requestCancel(id: string, now: number): Promise<FlowRunRecord | null> {
    await this.db.query(
      `update flow_runs set cancel_requested = true,
         state = case when state in ('Scheduled', 'Queued', 'Retrying', 'Crashed') then 'Cancelled' else state end,
         ended_at = case when state in ('Scheduled', 'Queued', 'Retrying', 'Crashed') then $2 else ended_at end
       where id = $1 and state not in ('Completed', 'Failed', 'Cancelled')`,
      [id, now],
    );
    return this.getRun(id);
  }

  async markCrashed(now: number, leaseMs: number): Promise<FlowRunRecord[]> {
    const rows = await this.db.query<RunRow>(
      `update flow_runs set state = 'Crashed', error = $2
       where state = 'Running' and heartbeat_at < $1 returning *`,
      [
        now - leaseMs,
        JSON.stringify({
          code: 'CRASHED',
          message: `the worker stopped renewing its lease for ${leaseMs / 1000} s`,
        }),
      ],
    );
    return rows.map(toRun);
  }

  async getTaskRuns(flowRunId: string): Promise<TaskRunRecord[]> {
    const rows = await this.db.query<TaskRow>(
      'select * from task_runs where flow_run_id = $1 order by coalesce(started_at, 0), task',
      [flowRunId],
    );
    return rows.map(toTask);
  }

  async saveTaskRun(t: TaskRunRecord): Promise<void> {
    await this.db.query(
      `insert into task_runs (flow_run_id, task, state, attempts, idempotency_key, result, error, started_at, ended_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (flow_run_id, task) do update set state = excluded.state, attempts = excluded.attempts,
         result = excluded.result, error = excluded.error, started_at = excluded.started_at,
         ended_at = excluded.ended_at`,
      [
        t.flowRunId,
        t.task,
        t.state,
        t.attempts,
        t.idempotencyKey,
        t.result === undefined || t.result === null ? null : JSON.stringify(t.result),
        t.error,
        t.startedAt,
        t.endedAt,
      ],
    );
  }

  async appendLog(flowRunId: string, line: FlowLogLine): Promise<void> {
    await this.db.query(
      'insert into flow_logs (flow_run_id, at, level, task, message) values ($1, $2, $3, $4, $5)',
      [flowRunId, line.at, line.level, line.task, line.message],
    );
  }

  async getLogs(flowRunId: string, limit = 1000): Promise<FlowLogLine[]> {
    const rows = await this.db.query<{
      at: string | number;
      level: string;
      task: string | null;
      message: string;
    }>(
      'select at, level, task, message from flow_logs where flow_run_id = $1 order by id limit $2',
      [flowRunId, limit],
    );
    return rows.map((r) => ({
      at: Number(r.at),
      level: r.level as FlowLogLine['level'],
      task: r.task,
      message: r.message,
    }));
  }

  async countByState(): Promise<{ flow: string; state: FlowRunState; count: number }[]> {
    const rows = await this.db.query<{ flow: string; state: string; n: string | number }>(
      'select flow, state, count(*) as n from flow_runs group by flow, state',
    );
    return rows.map((r) => ({ flow: r.flow, state: r.state as FlowRunState, count: Number(r.n) }));
  }

  async ensureSchedule(s: Omit<ScheduleRecord, 'updatedAt'>): Promise<ScheduleRecord> {
    await this.db.query(
      `insert into schedules (id, flow, cron, timezone, parameters, enabled, description, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (id) do nothing`,
      [
        s.id,
        s.flow,
        s.cron,
        s.timezone,
        JSON.stringify(s.parameters),
        s.enabled,
        s.description,
        Date.now(),
      ],
    );
    const got = await this.getSchedule(s.id);
    if (!got) {
      throw new InternalError(
        `ensureSchedule expected schedule ${s.id} to exist after its insert; found no row.`,
      );
    }
    return got;
  }

  async listSchedules(): Promise<ScheduleRecord[]> {
    const rows = await this.db.query<ScheduleRow>('select * from schedules order by id');
    return rows.map(toSchedule);
  }

  async getSchedule(id: string): Promise<ScheduleRecord | null> {
    const rows = await this.db.query<ScheduleRow>('select * from schedules where id = $1', [id]);
    return rows[0] ? toSchedule(rows[0]) : null;
  }

  async updateSchedule(
    id: string,
    patch: Partial<Pick<ScheduleRecord, 'cron' | 'timezone' | 'enabled' | 'parameters'>>,
  ): Promise<ScheduleRecord | null> {
    const rows = await this.db.query<ScheduleRow>(
      `update schedules set cron = coalesce($2, cron), timezone = coalesce($3, timezone),
         enabled = coalesce($4, enabled), parameters = coalesce($5, parameters), updated_at = $6
       where id = $1 returning *`,
      [
        id,
        patch.cron ?? null,
        patch.timezone ?? null,
        patch.enabled ?? null,
        patch.parameters === undefined ? null : JSON.stringify(patch.parameters),
        Date.now(),
      ],
    );
    return rows[0] ? toSchedule(rows[0]) : null;
  }
}
