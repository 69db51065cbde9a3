// Runs the EventBus contract on Kafka against a real broker (scripts/services/kafka.sh); each run on topics of its
// own prefix, every bus a process of its own (own producer, own fan-out consumer group).
import { randomUUID } from 'node:crypto';
import { beforeAll } from 'vitest';
import { KafkaBus } from '../../src/stores/events/index.js';
import { eventBusContract } from '../contract/event-bus.contract.js';
import { requireKafka } from './kafka-env.js';

let brokers: string[] = [];
beforeAll(async () => {
  brokers = await requireKafka();
});

const topicPrefix = `stockops-test-${randomUUID().slice(0, 8)}`;
eventBusContract('Kafka', (options) => KafkaBus.open({ ...options, brokers, topicPrefix }));
