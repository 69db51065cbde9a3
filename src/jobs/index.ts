// Public surface of src/jobs: job runners behind the JobQueue port and the job registry.
export { InProcessQueue, type InProcessQueueOptions } from './in-process-queue.js';
export { checkHandlers, JOB_NAMES, type JobName } from './registry.js';
