// Live routes: one WebSocket per channel of the contract (/ws/predictions, /ws/metrics, /ws/alerts, /ws/flow-runs),
// each validated by its query schema and handed to the hub that fans the bus out.
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { normalizeSymbol } from '../../core/index.js';
import { LIVE_CHANNELS, liveChannels } from '../../api/index.js';
import type { LiveFilter, LiveHub } from '../live/index.js';

/**
 * Registers @fastify/websocket and the channels. Call it before the other routes: the plugin must see every
 * route to refuse an upgrade on the plain HTTP ones.
 */
export async function registerLiveRoutes(app: FastifyInstance, hub: LiveHub): Promise<void> {
  await app.register(websocket, {
    // Clients send nothing but pongs and close frames.
    options: { maxPayload: 4096 },
    errorHandler: (_error, socket) => {
      socket.terminate();
    },
    // Clients are told why (1001, going away) before the server goes.
    preClose: async () => {
      await hub.close();
      // Sockets the hub let go but whose closing handshake is not over (refused, slow) are cut too.
      for (const socket of app.websocketServer.clients) {
        socket.terminate();
      }
      await new Promise<void>((resolve) => {
        app.websocketServer.close(() => {
          resolve();
        });
      });
    },
  });
  for (const channel of LIVE_CHANNELS) {
    const spec = liveChannels[channel];
    app.get(
      spec.path,
      // Hidden from the OpenAPI paths (they are not plain GETs); described in its text instead.
      { websocket: true, schema: { querystring: spec.querystring, hide: true } },
      (socket, req) => {
        const query = req.query as { ticker?: string; instance?: string };
        const filter: LiveFilter = {
          ...(query.ticker !== undefined ? { ticker: normalizeSymbol(query.ticker) } : {}),
          ...(query.instance !== undefined ? { instance: query.instance } : {}),
        };
        hub.add(socket, channel, filter);
      },
    );
  }
}
