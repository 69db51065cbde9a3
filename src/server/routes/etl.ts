// ETL routes: start an `etl` flow run, and the ETL run log with step counts and quality checks.
import type { FastifyInstance } from 'fastify';
import {
  EtlRunNotFoundError,
  normalizeSymbol,
  type EtlRunLog,
  type FlowService,
} from '../../core/index.js';
import { endpoints } from '../../api/index.js';
import { startEtl } from '../../services/index.js';
import { route } from './route.js';

export interface EtlRouteDeps {
  flows: FlowService;
  /** Absent when the runtime was built without the ETL's stores: the run list is then empty. */
  etlRuns: EtlRunLog | undefined;
}

export function registerEtlRoutes(app: FastifyInstance, deps: EtlRouteDeps): void {
  route(app, endpoints.startEtl, (req) =>
    startEtl(
      deps.flows,
      { ...req.body, tickers: req.body.tickers?.map((t) => normalizeSymbol(t, 'tickers')) },
      'api',
    ),
  );

  route(app, endpoints.etlRuns, async (req) =>
    deps.etlRuns ? deps.etlRuns.list(req.query.limit ?? 50, req.query.flowRun) : [],
  );

  route(app, endpoints.etlRun, (req) => {
    if (!deps.etlRuns) {
      throw new EtlRunNotFoundError(req.params.id);
    }
    return deps.etlRuns.get(req.params.id);
  });
}
