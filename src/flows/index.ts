// Public surface of src/flows: the flow engine, its two runners (in-process, BullMQ), schedules and the flow catalog (names checked at start, default schedules).
export { retryDelay } from './backoff.js';
export { BullmqQueue, type BullmqQueueOptions } from './bullmq-queue.js';
export { nextFire, validateCron } from './cron.js';
export {
  ENDED_STATES,
  FlowEngine,
  type FlowEngineOptions,
  type FlowJobData,
  type ScheduleDriver,
} from './flow-engine.js';
export { InProcessQueue, type InProcessQueueOptions } from './in-process-queue.js';
export { InProcessScheduler, type FireSchedule } from './in-process-scheduler.js';
export { checkHandlers, DEFAULT_SCHEDULES, FLOW_NAMES, type FlowName } from './flow-catalog.js';
export { openFlows, type Flows, type FlowRole, type OpenFlowsOptions } from './open-flows.js';
