// The flow engine on the in-process runner and the SQL store (PGlite in memory): retries, timeouts,
// cancellation, crash recovery by lease expiry, fan-out with a summary step, and schedules firing once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InsufficientHistoryError,
  type FlowDefinition,
  type FlowRunRecord,
  type FlowStore,
  type TaskDefinition,
} from '../core/index.js';
import { InProcessBus } from '../stores/events/index.js';
import { migrate, openPglite, SqlFlowStore, type SqlClient } from '../stores/sql/index.js';
import { FlowEngine } from './flow-engine.js';
import { InProcessQueue } from './in-process-queue.js';
import { InProcessScheduler } from './in-process-scheduler.js';

let db: SqlClient;
let store: FlowStore;
beforeAll(async () => {
  db = await openPglite('memory://');
  await migrate(db);
  store = new SqlFlowStore(db);
});
afterAll(async () => {
  await db.close();
});

const calls: Record<string, number> = {};
const count = (k: string) => (calls[k] = (calls[k] ?? 0) + 1);

function flow(
  name: string,
  tasks: TaskDefinition<Record<string, unknown>>[],
): FlowDefinition<unknown> {
  return {
    name,
    description: name,
    parameters: {},
    parse: (raw) => raw ?? {},
    tasks: tasks,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function engine(flows: FlowDefinition<unknown>[], workerId = 'w1', leaseMs = 15_000) {
  const e = new FlowEngine({ flows, store, workerId, heartbeatMs: 50, leaseMs, random: () => 0 });
  const q = new InProcessQueue(e.handlers());
  e.attach(q);
  return { e, q };
}

async function until(e: FlowEngine, id: string, states: string[]): Promise<FlowRunRecord> {
  for (let i = 0; i < 400; i++) {
    const r = await e.get(id);
    if (r && states.includes(r.state)) {
      return r;
    }
    await sleep(25);
  }
  throw new Error(`run ${id} never reached ${states.join('/')}`);
}

describe('FlowEngine', () => {
  it('announces every state change of a run on the event bus, with the state before it', async () => {
    const bus = new InProcessBus({ instanceId: 'engine-test' });
    const seen: string[] = [];
    bus.subscribe(['flow-runs'], (ev) => {
      if (ev.type === 'flow-run.changed') {
        seen.push(`${ev.data.previousState ?? '?'} -> ${ev.data.run.state}`);
      }
    });
    const e = new FlowEngine({
      flows: [flow('announced', [{ name: 'only', run: () => Promise.resolve({ ok: 1 }) }])],
      store,
      workerId: 'w-events',
      heartbeatMs: 50,
      events: bus,
    });
    const q = new InProcessQueue(e.handlers());
    e.attach(q);
    const id = await e.start('announced', {});
    await until(e, id, ['Completed']);
    await bus.flush();
    expect(seen).toEqual(['? -> Queued', '? -> Running', 'Running -> Completed']);
    await q.close();
    await bus.close();
  });

  it('retries a failing task with backoff and records every attempt', async () => {
    const { e, q } = engine([
      flow('flaky', [
        {
          name: 'step',
          retries: 2,
          retryDelayMs: 10,
          run: () => {
            if (count('flaky') < 3) {
              return Promise.reject(new Error('transient'));
            }
            return Promise.resolve({ ok: true });
          },
        },
      ]),
    ]);
    const id = await e.start('flaky', {});
    const run = await until(e, id, ['Completed', 'Failed']);
    expect(run.state).toBe('Completed');
    expect(run.result).toEqual({ ok: true });
    const detail = await e.get(id);
    expect(detail?.taskRuns).toMatchObject([{ task: 'step', state: 'Completed', attempts: 3 }]);
    expect(detail?.logs.some((l) => l.message.includes('retrying in'))).toBe(true);
    await q.close();
  });

  it('does not retry an error a retry cannot fix (too little history), and says why', async () => {
    const { e, q } = engine([
      flow('short', [
        {
          name: 'fit',
          retries: 3,
          retryDelayMs: 10,
          run: () => {
            count('short');
            return Promise.reject(new InsufficientHistoryError('X', 132, 65));
          },
        },
      ]),
    ]);
    const id = await e.start('short', {});
    const run = await until(e, id, ['Completed', 'Failed']);
    expect(run.state).toBe('Failed');
    expect(calls.short).toBe(1);
    const detail = await e.get(id);
    expect(detail?.taskRuns).toMatchObject([{ task: 'fit', state: 'Failed', attempts: 1 }]);
    expect(detail?.logs.some((l) => l.message.includes('not retried: INSUFFICIENT_HISTORY'))).toBe(
      true,
    );
    await q.close();
  });

  it('fails a task that outlives its timeout, naming the timeout', async () => {
    const { e, q } = engine([
      flow('slow', [{ name: 'step', timeoutMs: 50, run: () => sleep(2000) }]),
    ]);
    const id = await e.start('slow', {});
    const run = await until(e, id, ['Completed', 'Failed']);
    expect(run).toMatchObject({ state: 'Failed', error: { code: 'TASK_TIMEOUT' } });
    await q.close();
  });

  it('cancels a queued run at once and a running one at its next heartbeat', async () => {
    const { e, q } = engine([
      flow('long', [
        {
          name: 'step',
          run: async (_p, ctx) => {
            for (let i = 0; i < 100 && !ctx.signal.aborted; i++) {
              await sleep(20);
            }
          },
        },
      ]),
    ]);
    const running = await e.start('long', {});
    const queued = await e.start('long', {});
    await until(e, running, ['Running']);
    expect((await e.cancel(queued)).state).toBe('Cancelled');
    await e.cancel(running);
    expect((await until(e, running, ['Cancelled', 'Completed', 'Failed'])).state).toBe('Cancelled');
    await q.close();
  });

  it('finds a dead worker by its expired lease, marks the run Crashed and completes it elsewhere without redoing finished tasks', async () => {
    const cleanedUp: [string, number, number][] = [];
    const def: FlowDefinition<unknown> = {
      ...flow('crashy', [
        { name: 'first', run: () => Promise.resolve(count('crashy.first')) },
        { name: 'second', run: () => Promise.resolve(count('crashy.second')) },
      ]),
      // The flow's clean-up sees the crashed attempt before its retry runs anything.
      onCrashed: (_p, crashed, log) => {
        cleanedUp.push([crashed.id, crashed.attempts, calls['crashy.second'] ?? 0]);
        log('ended what the dead attempt left open');
        return Promise.resolve();
      },
    };
    const { e, q } = engine([def], 'survivor', 200);
    // A worker that finished `first`, then died: its run is Running with a lease nobody renews.
    const { run } = await store.createRun({
      id: 'crash-1',
      flow: 'crashy',
      parameters: {},
      state: 'Queued',
    });
    await store.claimRun(run.id, 'dead-worker', Date.now(), 200);
    await store.saveTaskRun({
      flowRunId: run.id,
      task: 'first',
      state: 'Completed',
      attempts: 1,
      idempotencyKey: `${run.id}:first`,
      result: 41,
      error: null,
      startedAt: Date.now(),
      endedAt: Date.now(),
    });
    expect(await e.reap()).toHaveLength(0);
    await sleep(250);
    const crashed = await e.reap();
    expect(crashed.map((r) => [r.id, r.state])).toEqual([[run.id, 'Crashed']]);
    const done = await until(e, run.id, ['Completed', 'Failed']);
    expect(done).toMatchObject({ state: 'Completed', attempts: 2, worker: 'survivor' });
    expect(calls['crashy.first']).toBeUndefined();
    expect(calls['crashy.second']).toBe(1);
    expect(cleanedUp).toEqual([[run.id, 1, 0]]);
    expect((await e.get(run.id))?.logs.map((l) => l.message)).toContain(
      'ended what the dead attempt left open',
    );
    await q.close();
  });

  it('runs the summary step of a fan-out only after every child run has ended', async () => {
    const { e, q } = engine([
      flow('child', [{ name: 'work', run: (p) => Promise.resolve(p.n) }]),
      flow('parent', [
        {
          name: 'fan-out',
          run: async (_p, ctx) => {
            for (const n of [1, 2, 3]) {
              await ctx.startChild('child', { n }, `child:${n}`);
            }
          },
        },
        {
          name: 'summary',
          waitForChildren: true,
          run: async (_p, ctx) => {
            const kids = await ctx.children();
            return {
              states: kids.map((k) => k.state),
              sum: kids.reduce((a, k) => a + Number(k.result), 0),
            };
          },
        },
      ]),
    ]);
    const id = await e.start('parent', {});
    const run = await until(e, id, ['Completed', 'Failed']);
    expect(run.result).toEqual({ states: ['Completed', 'Completed', 'Completed'], sum: 6 });
    expect(await e.list({ parentId: id })).toHaveLength(3);
    await q.close();
  });

  it('rejects unknown flows naming the known ones', async () => {
    const { e, q } = engine([flow('only', [])]);
    await expect(e.start('nope', {})).rejects.toMatchObject({ code: 'FLOW_NOT_FOUND' });
    await q.close();
  });
});

describe('InProcessScheduler', () => {
  it('starts one run per tick even when two processes share the store', async () => {
    const { e, q } = engine([flow('tick', [{ name: 'noop', run: () => Promise.resolve(null) }])]);
    await store.ensureSchedule({
      id: 'every-minute',
      flow: 'tick',
      cron: '* * * * *',
      timezone: 'UTC',
      parameters: {},
      enabled: true,
      description: '',
    });
    let now = Date.parse('2026-01-05T10:00:30Z');
    const fire = async (
      s: { id: string; flow: string; parameters: Record<string, unknown> },
      tick: number,
    ) => {
      await e.start(s.flow, s.parameters, {
        scheduleId: s.id,
        idempotencyKey: `schedule:${s.id}:${tick}`,
      });
    };
    const a = new InProcessScheduler(store, fire, () => now);
    const b = new InProcessScheduler(store, fire, () => now);
    expect(await a.check()).toEqual([]);
    expect(await b.check()).toEqual([]);
    now = Date.parse('2026-01-05T10:01:05Z');
    expect(await a.check()).toHaveLength(1);
    expect(await b.check()).toHaveLength(1);
    const runs = await e.list({ flow: 'tick' });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.scheduleId).toBe('every-minute');
    await store.updateSchedule('every-minute', { enabled: false });
    now = Date.parse('2026-01-05T10:02:05Z');
    expect(await a.check()).toEqual([]);
    await q.close();
  });
});
