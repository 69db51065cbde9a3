// Bench helper: the `stockops start` server with nothing published (services and flows get no bus), the "bus off"
// row of bench:events; prints the same "listening on" line. Not a product mode: the bus is always on in stockops.
import { loadConfig } from '../src/config/index.js';
import { openRuntime } from '../src/runtime/index.js';
import { buildServer } from '../src/server/index.js';

const config = loadConfig();
const rt = await openRuntime(config, 'server');
const app = await buildServer({
  services: { ...rt.services, events: undefined },
  queue: rt.queue,
  flows: rt.flows,
  metrics: rt.metrics,
  serving: rt.serving,
  apiKey: null,
  webRoot: null,
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`stockops listening on ${url}\n`);
const stop = () => {
  void app.close().then(() => rt.close().then(() => process.exit(0)));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
