// Runs the JobQueue contract on the in-process runner (the embedded default).
import { InProcessQueue } from '../../src/flows/index.js';
import { jobQueueContract } from './job-queue.contract.js';

jobQueueContract('in-process', (handlers) => Promise.resolve(new InProcessQueue(handlers)));
