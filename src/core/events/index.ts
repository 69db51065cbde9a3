// Public surface of core/events: the channel, schema version and partition key of each event type, and the check of events read from another process.
export * from './event-types.js';
