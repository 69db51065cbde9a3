// Public surface of stores/events: the EventBus adapters (in-process, Kafka) and what they share.
export { silentLogger, type BusLogger, type BusOptions } from './bus-support.js';
export { InProcessBus, InProcessHub, type InProcessBusOptions } from './in-process-bus.js';
export { KafkaBus, type KafkaBusOptions } from './kafka-bus.js';
