// Public surface of src/server.
export { buildServer, type ServerDeps, type ServerProtection } from './app.js';
export { errorHandler } from './errors.js';
export { defaultWebRoot, startServer, type StartedServer } from './main.js';
