// Runs the EventBus contract on the in-process bus (the embedded default); buses on one hub stand for processes.
import { InProcessBus, InProcessHub } from '../../src/stores/events/index.js';
import { eventBusContract } from './event-bus.contract.js';

const hub = new InProcessHub();
eventBusContract('in-process', (options) => Promise.resolve(new InProcessBus({ ...options, hub })));
