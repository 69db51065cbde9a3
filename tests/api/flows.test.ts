// Flow routes through app.inject() on the real app (in-process runner, PGlite in memory, bundled sample).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({ horizons: [1] });
});
afterAll(async () => {
  await h.close();
});

interface Run {
  id: string;
  flow: string;
  state: string;
  attempts: number;
  parameters: Record<string, unknown>;
  result: Record<string, unknown> | null;
  taskRuns: { task: string; state: string; attempts: number }[];
  logs: { message: string }[];
}

const get = (url: string) => h.app.inject({ method: 'GET', url });
const send = (method: 'POST' | 'PUT', url: string, payload?: object) =>
  h.app.inject({ method, url, ...(payload ? { payload } : {}) });

async function waitRun(id: string): Promise<Run> {
  for (;;) {
    const run = (await get(`/api/flow-runs/${id}`)).json<Run>();
    if (['Completed', 'Failed', 'Cancelled'].includes(run.state)) {
      return run;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('flows API', () => {
  it('lists the shipped flows with their tasks and parameters', async () => {
    const flows = (await get('/api/flows')).json<{ name: string; tasks: string[] }[]>();
    expect(flows.map((f) => f.name).sort()).toEqual([
      'bootstrap',
      'etl',
      'evaluate',
      'monitor',
      'retrain-all',
      'train',
    ]);
    expect(flows.find((f) => f.name === 'train')?.tasks).toEqual([
      'naive-floor',
      'fit',
      'register',
    ]);
  });

  it('starts a train flow run (202 { id }) and shows its tasks, logs and result', async () => {
    const res = await send('POST', '/api/flows/train/runs', { ticker: '^GSPC', model: 'naive' });
    expect(res.statusCode).toBe(202);
    const run = await waitRun(res.json<{ id: string }>().id);
    expect(run).toMatchObject({
      flow: 'train',
      state: 'Completed',
      attempts: 1,
      parameters: { ticker: '^GSPC', model: 'naive', horizon: 1 },
      result: { modelName: '^GSPC.h1' },
    });
    expect(run.taskRuns.map((t) => [t.task, t.state])).toEqual([
      ['naive-floor', 'Completed'],
      ['fit', 'Completed'],
      ['register', 'Completed'],
    ]);
    expect(run.logs.length).toBeGreaterThan(0);
    const job = (await get(`/api/jobs/${run.id}`)).json<{ status: string; name: string }>();
    expect(job).toMatchObject({ status: 'completed', name: 'train' });
    const listed = (await get('/api/flow-runs?flow=train&state=Completed')).json<Run[]>();
    expect(listed.map((r) => r.id)).toContain(run.id);
  });

  it('fans out retrain-all and summarises once every child has ended', async () => {
    const res = await send('POST', '/api/flows/retrain-all/runs', {
      tickers: ['^GSPC'],
      models: ['naive'],
      horizons: [1, 5],
    });
    const run = await waitRun(res.json<{ id: string }>().id);
    expect(run.state).toBe('Completed');
    expect(run.result).toMatchObject({ runs: 2, completed: 2, failed: 0 });
    const children = (await get(`/api/flow-runs?parent=${run.id}`)).json<Run[]>();
    expect(children.map((c) => c.state)).toEqual(['Completed', 'Completed']);
  });

  it('names bad parameters, unknown flows and unknown runs', async () => {
    const bad = await send('POST', '/api/flows/train/runs', { ticker: '^GSPC', horizon: 3 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'horizon' } });
    const extra = await send('POST', '/api/flows/train/runs', { ticker: '^GSPC', epochs: 3 });
    expect(extra.json()).toMatchObject({ error: { field: 'epochs' } });
    const unknown = await send('POST', '/api/flows/nope/runs', {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'FLOW_NOT_FOUND' } });
    expect((await get('/api/flow-runs/nope')).statusCode).toBe(404);
    expect((await send('POST', '/api/flow-runs/nope/cancel')).statusCode).toBe(404);
  });

  it('edits, disables and validates schedules', async () => {
    const list = (await get('/api/schedules')).json<{ id: string; timezone: string }[]>();
    expect(list.map((s) => [s.id, s.timezone])).toEqual([
      ['etl-tw-daily', 'Asia/Taipei'],
      ['etl-us-daily', 'America/New_York'],
      ['monitor-tw-daily', 'Asia/Taipei'],
      ['monitor-us-daily', 'America/New_York'],
      ['retrain-all-weekly', 'America/New_York'],
    ]);
    const off = await send('PUT', '/api/schedules/etl-tw-daily', { enabled: false });
    expect(off.json()).toMatchObject({ enabled: false, nextRunAt: null });
    const edited = await send('PUT', '/api/schedules/etl-us-daily', { cron: '45 16 * * 1-5' });
    expect(edited.json()).toMatchObject({ cron: '45 16 * * 1-5', enabled: true });
    const badCron = await send('PUT', '/api/schedules/etl-us-daily', { cron: '99 * * * *' });
    expect(badCron.json()).toMatchObject({ error: { field: 'cron' } });
    const badTz = await send('PUT', '/api/schedules/etl-us-daily', { timezone: 'Mars/Base' });
    expect(badTz.json()).toMatchObject({ error: { field: 'timezone' } });
    expect((await send('PUT', '/api/schedules/nope', { enabled: true })).statusCode).toBe(404);
  });

  it('exports flow runs by state, durations, queue depth and workers', async () => {
    const text = (await get('/metrics')).body;
    expect(text).toMatch(/stockops_flow_runs\{flow="train",state="Completed"\} \d+/);
    expect(text).toContain('stockops_flow_run_duration_seconds_bucket');
    expect(text).toContain('stockops_job_queue_depth 0');
    expect(text).toContain('stockops_job_workers 1');
  });
});
