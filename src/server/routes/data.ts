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
    const body: unknown = req.body;
    const result = await importCsv(deps.services, {
      ticker: normalizeSymbol(req.query.ticker),
      bytes: Buffer.isBuffer(body) ? new Uint8Array(body) : new Uint8Array(),
      source: 'csv:api',
    });
    deps.metrics.recordImport(result);
    return result;
  });

  route(app, endpoints.quarantine, (req) =>
    deps.services.prices.listQuarantine(
      req.query.ticker === undefined ? undefined : normalizeSymbol(req.query.ticker),
    ),
  );
}
