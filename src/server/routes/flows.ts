// Flow routes: the flows, starting and cancelling flow runs (not the tracked runs of /api/runs), and schedules.
import type { FastifyInstance } from 'fastify';
import type { FlowService } from '../../core/index.js';
import { endpoints } from '../../api/index.js';
import { getFlowRun, idempotency, listSchedules, updateSchedule } from '../../services/index.js';
import { idempotencyKeyOf, route } from './route.js';

export function registerFlowRoutes(app: FastifyInstance, deps: { flows: FlowService }): void {
  const { flows } = deps;

  route(app, endpoints.flows, () => flows.listFlows());

  // An empty body is the flow with its default parameters.
  route(app, endpoints.startFlow, async (req) => {
    const id = await flows.start(
      req.params.name,
      req.body,
      idempotency(req.params.name, idempotencyKeyOf(req.headers)),
    );
    return { id, jobId: id };
  });

  route(app, endpoints.flowRuns, (req) =>
    flows.list({
      ...(req.query.flow !== undefined ? { flow: req.query.flow } : {}),
      ...(req.query.state !== undefined ? { state: req.query.state } : {}),
      ...(req.query.parent !== undefined ? { parentId: req.query.parent } : {}),
      limit: req.query.limit ?? 100,
    }),
  );

  route(app, endpoints.flowRun, (req) => getFlowRun(flows, req.params.id));

  route(app, endpoints.cancelFlowRun, (req) => flows.cancel(req.params.id));

  route(app, endpoints.schedules, () => listSchedules(flows));

  route(app, endpoints.updateSchedule, (req) => updateSchedule(flows, req.params.id, req.body));
}
