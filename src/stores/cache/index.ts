// Public surface of the serving-cache invalidation adapters: in one process, or on Redis pub/sub.
export { InProcessInvalidationBus } from './in-process-bus.js';
export { RedisInvalidationBus, type RedisBusOptions } from './redis-bus.js';
