// Public surface of server/live: the hub that fans the event bus out to this process's WebSocket clients.
export { LiveHub, type LiveFilter, type LiveHubOptions } from './live-hub.js';
