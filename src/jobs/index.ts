// Public surface of src/jobs: the flow engine, its two runners (in-process, BullMQ), schedules and the job registry.
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
export { checkHandlers, DEFAULT_SCHEDULES, JOB_NAMES, type JobName } from './registry.js';
export { openJobs, type Jobs, type JobsRole, type OpenJobsOptions } from './setup.js';
