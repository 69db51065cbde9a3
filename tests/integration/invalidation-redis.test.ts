// Real: Redis (scripts/services/redis.sh). The InvalidationBus contract on Redis pub/sub, two buses standing for two replicas.
import { RedisInvalidationBus } from '../../src/stores/cache/index.js';
import { invalidationBusContract } from '../contract/invalidation-bus.contract.js';
import { requireRedis, testPrefix } from './jobs-env.js';

const prefix = testPrefix();
const open = async () => RedisInvalidationBus.open({ url: await requireRedis(), prefix });
invalidationBusContract('Redis pub/sub', open, open);
