// Data routes: tickers, price history, CSV import and the quarantine.
import type { FastifyInstance } from 'fastify';
import { normalizeSymbol } from '../../core/index.js';
import { endpoints } from '../../api/index.js';
import type { AppMetrics } from '../../metrics/index.js';
import { getHistory, importCsv, tickerDetail, type ServiceDeps } from '../../services/index.js';
import { route } from './route.js';

export interface DataRouteDeps {
  services: ServiceDeps;
  metrics: AppMetrics;
}

export function registerDataRoutes(app: FastifyInstance, deps: DataRouteDeps): void {
  route(app, endpoints.tickers, () => deps.services.prices.listTickers());

  route(app, endpoints.ticker, (req) =>
    tickerDetail(deps.services, normalizeSymbol(req.params.symbol, 'symbol')),
  );

  route(app, endpoints.history, (req) =>
    getHistory(deps.services, normalizeSymbol(req.params.symbol, 'symbol'), req.query),
  );

  route(app, endpoints.importCsv, async (req) => {
    // The body is the stream of chunks acceptRawBodies hands on (absent for an empty request).
    const body = req.body as AsyncIterable<Uint8Array> | undefined;
    try {
      const result = await importCsv(deps.services, {
        ticker: normalizeSymbol(req.query.ticker),
        body: body ?? new Uint8Array(),
        source: 'csv:api',
      });
      deps.metrics.recordImport(result);
      return result;
    } catch (e) {
      // Refused before the end of the body: the rest is read and discarded (memory stays flat), so the client,
      // still sending, gets the answer instead of a reset connection.
      req.raw.resume();
      throw e;
    }
  });

  route(app, endpoints.quarantine, (req) =>
    deps.services.prices.listQuarantine(
      req.query.ticker === undefined ? undefined : normalizeSymbol(req.query.ticker),
    ),
  );
}
