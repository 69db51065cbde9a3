// Runs the JobQueue contract on BullMQ against a real Redis (scripts/services/redis.sh): producer and worker
// in this process, a key prefix per queue.
import { beforeAll } from 'vitest';
import { BullmqQueue } from '../../src/flows/index.js';
import { jobQueueContract } from '../contract/job-queue.contract.js';
import { requireRedis, testPrefix } from './jobs-env.js';

let url = '';
beforeAll(async () => {
  url = await requireRedis();
});

jobQueueContract('BullMQ on Redis', async (handlers) => {
  const q = new BullmqQueue(handlers, { url, prefix: testPrefix(), work: true, concurrency: 1 });
  await q.ready();
  return q;
});
