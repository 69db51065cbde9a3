// Wires the flow engine to a runner: in-process (embedded default) or BullMQ on Redis, by role.
import { hostname } from 'node:os';
import type {
  EventBus,
  FlowDefinition,
  FlowRunRecord,
  FlowStore,
  LeaseKeeper,
  ManagedJobQueue,
} from '../core/index.js';
import { BullmqQueue } from './bullmq-queue.js';
import { FlowEngine, type ScheduleDriver } from './flow-engine.js';
import { InProcessQueue } from './in-process-queue.js';
import { InProcessScheduler } from './in-process-scheduler.js';
import { checkHandlers, DEFAULT_SCHEDULES } from './flow-catalog.js';

export type FlowRole = 'server' | 'worker' | 'cli';

export interface OpenFlowsOptions {
  flows: readonly FlowDefinition<unknown>[];
  store: FlowStore;
  /** BullMQ on this Redis when set; the in-process runner otherwise. */
  redisUrl: string | null;
  /**
   * server: API (in-process: runs jobs and schedules; BullMQ: produces and upserts schedulers).
   * worker: takes BullMQ jobs. cli: runs what it starts, no schedules.
   */
  role: FlowRole;
  /** Flow runs a BullMQ worker runs at once. @defaultValue 1 */
  concurrency?: number;
  /** Flow runs the in-process runner runs at once (e.g. one per fit thread). @defaultValue 1 */
  inProcessConcurrency?: number;
  /** Redis key prefix. @defaultValue 'stockops' */
  prefix?: string;
  /** @defaultValue 15_000 */
  leaseMs?: number;
  /** @defaultValue 2_000 */
  heartbeatMs?: number;
  /** Fire schedules in this process (server role); when false they are still stored and editable. @defaultValue true */
  schedules?: boolean;
  onRunEnded?: (run: FlowRunRecord) => void;
  /** Opens a lease keeper off the main thread for this worker id (null: heartbeats on the event loop). */
  leaseKeeper?: (workerId: string, everyMs: number) => LeaseKeeper | null;
  /** Where every flow run state change is announced (flow-run.changed). */
  events?: EventBus;
}

export interface Flows {
  engine: FlowEngine;
  queue: ManagedJobQueue;
  runner: 'in-process' | 'bullmq';
  close(): Promise<void>;
}

export async function openFlows(options: OpenFlowsOptions): Promise<Flows> {
  const workerId = `${hostname()}:${process.pid}`;
  const heartbeatMs = options.heartbeatMs ?? 2000;
  const engine = new FlowEngine({
    flows: options.flows,
    store: options.store,
    workerId,
    heartbeatMs,
    leaseKeeper: options.leaseKeeper?.(workerId, heartbeatMs) ?? null,
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.onRunEnded ? { onRunEnded: options.onRunEnded } : {}),
    ...(options.events ? { events: options.events } : {}),
  });
  const handlers = engine.handlers();
  // A flow without a job name, or a job name without a flow, stops start-up here.
  checkHandlers(handlers);
  const schedules = options.schedules !== false && options.role === 'server';
  let queue: ManagedJobQueue;
  let driver: ScheduleDriver | null = null;
  let inProcessScheduler: InProcessScheduler | null = null;
  if (options.redisUrl === null) {
    queue = new InProcessQueue(handlers, { concurrency: options.inProcessConcurrency ?? 1 });
    if (schedules) {
      inProcessScheduler = new InProcessScheduler(options.store, async (s, tick) => {
        await engine.start(s.flow, s.parameters, {
          scheduleId: s.id,
          idempotencyKey: `schedule:${s.id}:${tick}`,
        });
      });
      driver = inProcessScheduler;
    }
  } else {
    const bull = new BullmqQueue(handlers, {
      url: options.redisUrl,
      ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
      work: options.role === 'worker',
      concurrency: options.concurrency ?? 1,
    });
    await bull.ready();
    queue = bull;
    if (schedules) {
      driver = bull.scheduler();
    }
  }
  engine.attach(queue, driver);
  if (options.role === 'server') {
    for (const s of DEFAULT_SCHEDULES) {
      const stored = await options.store.ensureSchedule(s);
      await driver?.sync(stored);
    }
    inProcessScheduler?.start();
  }
  if (options.role !== 'cli') {
    await engine.startMaintenance(5_000, options.redisUrl === null);
  }
  return {
    engine,
    queue,
    runner: options.redisUrl === null ? 'in-process' : 'bullmq',
    close: async () => {
      await engine.close();
      await queue.close();
    },
  };
}
