// Every route of the HTTP API, once: the server registers these, the CLI and the web call them, OpenAPI is generated from them.
import { Type } from '@sinclair/typebox';
import {
  HistoryParams,
  HistoryQuery,
  HistorySchema,
  ImportQuery,
  ImportResultSchema,
  QuarantineEntrySchema,
  QuarantineQuery,
  TickerDetailSchema,
  TickerSummarySchema,
} from './data.js';
import { endpoint, errorResponses, NEEDS_API_KEY } from './endpoint.js';
import { EtlRequestSchema, EtlRunParams, EtlRunSchema, EtlRunsQuery } from './etl.js';
import {
  FlowInfoSchema,
  FlowParams,
  FlowRunAcceptedSchema,
  FlowRunDetailSchema,
  FlowRunParams,
  FlowRunSchema,
  FlowRunsQuery,
  FlowStartBody,
  ScheduleParams,
  SchedulePatchSchema,
  ScheduleSchema,
} from './flows.js';
import {
  AliasEventSchema,
  AliasMoveSchema,
  ChampionAtQuery,
  ChampionAtSchema,
  ModelParams,
  RegisteredModelSchema,
  SetChampionSchema,
} from './models.js';
import {
  AlertAckSchema,
  AlertParams,
  AlertSchema,
  AlertsQuery,
  ApprovalDecisionSchema,
  ApprovalParams,
  ApprovalSchema,
  ApprovalsQuery,
  DecisionsQuery,
  MonitoringReportSchema,
  MonitoringReportSummarySchema,
  ReportParams,
  RealisedPointSchema,
  RealisedQuery,
  ReportsQuery,
  RetrainDecisionSchema,
  RetrainPolicyPatchSchema,
  RetrainPolicyViewSchema,
} from './monitoring.js';
import { OverviewSchema } from './overview.js';
import {
  BatchPredictRequestSchema,
  BatchPredictResultSchema,
  ForecastQuery,
  ForecastSchema,
  PredictionSchema,
  PredictionsPageSchema,
  PredictionsQuery,
  PredictQuery,
} from './predict.js';
import {
  RecipeCreateSchema,
  RecipeDetailSchema,
  RecipeParams,
  RecipeRunRequestSchema,
  RecipeRunsStartedSchema,
  RecipeSchema,
  RecipeUpdateSchema,
  RecipeVersionParams,
} from './recipes.js';
import { HealthSchema, ReadySchema } from './system.js';
import { MetricParams, MetricPointSchema, RunParams, RunSchema, RunsQuery } from './tracking.js';
import {
  IdempotencyHeaders,
  JobAcceptedSchema,
  JobParams,
  JobSchema,
  TrainRequestSchema,
} from './train.js';

export const endpoints = {
  health: endpoint('GET', '/api/health', {
    tags: ['system'],
    description: 'Liveness, the version, the bootstrap state and the stores in use.',
    response: { 200: HealthSchema },
  }),
  ready: endpoint('GET', '/api/ready', {
    tags: ['system'],
    description:
      'Readiness: 200 once the champions are loaded and the prediction path is warm; 503 NOT_READY (with Retry-After) while starting or draining. /api/health stays the liveness probe.',
    response: { 200: ReadySchema, ...errorResponses(503) },
  }),

  overview: endpoint('GET', '/api/overview', {
    tags: ['system'],
    description:
      'The home page in one request: every ticker with its last close, its champion per horizon (skill beside naive) and latest forecast, and the last ETL and training runs.',
    response: { 200: OverviewSchema },
  }),

  // data
  tickers: endpoint('GET', '/api/tickers', {
    tags: ['data'],
    description: 'Every ticker with a cleaned series: first and last date, rows.',
    response: { 200: Type.Array(TickerSummarySchema) },
  }),
  ticker: endpoint('GET', '/api/tickers/:symbol', {
    tags: ['data'],
    description:
      "One ticker's data set: exchange and currency, first and last date, rows, last close, quarantined rows, and its last ETL run with the quality checks.",
    params: HistoryParams,
    response: { 200: TickerDetailSchema, ...errorResponses(400, 404) },
  }),
  history: endpoint('GET', '/api/tickers/:symbol/history', {
    tags: ['data'],
    description:
      'Cleaned daily bars (split-consistent prices, continuous adjusted close), oldest first.',
    params: HistoryParams,
    querystring: HistoryQuery,
    response: { 200: HistorySchema, ...errorResponses(400, 404) },
  }),
  importCsv: endpoint('POST', '/api/import', {
    tags: ['data'],
    security: NEEDS_API_KEY,
    description:
      'Body: a Yahoo Finance daily CSV (Date,Open,High,Low,Close,Adj Close,Volume) as text/csv. Every data row is imported, counted as a duplicate or quarantined with its line and reason.',
    consumes: ['text/csv', 'text/plain', 'application/octet-stream'],
    querystring: ImportQuery,
    response: { 200: ImportResultSchema, ...errorResponses(400, 401) },
  }),
  quarantine: endpoint('GET', '/api/quarantine', {
    tags: ['data'],
    description: 'Rows refused by imports and the ETL, with line, reason and raw text.',
    querystring: QuarantineQuery,
    response: { 200: Type.Array(QuarantineEntrySchema), ...errorResponses(400) },
  }),
  startEtl: endpoint(
    'POST',
    '/api/etl',
    {
      tags: ['data'],
      security: NEEDS_API_KEY,
      description:
        'Runs the ETL (extract from Yahoo Finance -> validate -> load raw -> clean -> quality -> snapshot) as an `etl` flow run; full history for new tickers, incremental for stored ones. Poll GET /api/flow-runs/{jobId}; the summary is also in GET /api/etl/runs. An empty body means the defaults.',
      body: EtlRequestSchema,
      response: { 202: JobAcceptedSchema, ...errorResponses(400, 401) },
    },
    { emptyBody: {} },
  ),
  etlRuns: endpoint('GET', '/api/etl/runs', {
    tags: ['data'],
    description:
      'ETL runs, newest first, each with its steps (counts, ms), per-ticker results and quality checks.',
    querystring: EtlRunsQuery,
    response: { 200: Type.Array(EtlRunSchema), ...errorResponses(400) },
  }),
  etlRun: endpoint('GET', '/api/etl/runs/:id', {
    tags: ['data'],
    params: EtlRunParams,
    response: { 200: EtlRunSchema, ...errorResponses(400, 404) },
  }),

  // serving
  predict: endpoint('GET', '/api/predict', {
    tags: ['predict'],
    description:
      "The champion's predicted close for the horizon-th next trading day, its version and metrics beside naive, and 80%/95% conformal intervals.",
    querystring: PredictQuery,
    response: { 200: PredictionSchema, ...errorResponses(400, 404, 422) },
  }),
  predictBatch: endpoint('POST', '/api/predict/batch', {
    tags: ['predict'],
    description:
      'Up to 1000 (ticker, horizon) forecasts in one request (horizon 1 when left out). Each item answers with its prediction or its own error (UNKNOWN_TICKER, MODEL_NOT_FOUND, INSUFFICIENT_HISTORY), in request order; only a malformed request fails as a whole. Reads nothing, so it needs no API key.',
    body: BatchPredictRequestSchema,
    response: { 200: BatchPredictResultSchema, ...errorResponses(400) },
  }),
  predictions: endpoint('GET', '/api/predictions', {
    tags: ['predict'],
    description:
      "The forecast log: one row per forecast served (ticker, horizon, asOf, model version) with its serve count, newest first (asOf, then first served). `from`/`to` bound asOf. Once the target date's bar is loaded a row carries the actual outcome, the error and whether each interval held. Pages: pass nextCursor as cursor.",
    querystring: PredictionsQuery,
    response: { 200: PredictionsPageSchema, ...errorResponses(400) },
  }),
  forecast: endpoint('GET', '/api/forecast', {
    tags: ['predict'],
    description:
      'Predicted close for each of the next `days` trading days (exchange calendar), each with 80%/95% intervals, from the champions of horizons 1, 5 and 20.',
    querystring: ForecastQuery,
    response: { 200: ForecastSchema, ...errorResponses(400, 404, 422) },
  }),

  // training
  train: endpoint('POST', '/api/train', {
    tags: ['train'],
    security: NEEDS_API_KEY,
    description:
      'Starts a `train` flow run: walk-forward evaluation, tracked run, registered version and the promotion gate. Answers at once with the run id. With an Idempotency-Key header, a retry returns the run the first request started.',
    headers: IdempotencyHeaders,
    body: TrainRequestSchema,
    response: { 202: JobAcceptedSchema, ...errorResponses(400, 401, 404) },
  }),
  job: endpoint('GET', '/api/jobs/:id', {
    tags: ['flows'],
    description:
      'A flow run in the job shape older clients know ({ id, status, result?, error? }); an alias of GET /api/flow-runs/{id}.',
    params: JobParams,
    response: { 200: JobSchema, ...errorResponses(400, 404) },
  }),

  // tracking
  runs: endpoint('GET', '/api/runs', {
    tags: ['tracking'],
    description: 'Tracked experiment runs, newest first.',
    querystring: RunsQuery,
    response: { 200: Type.Array(RunSchema), ...errorResponses(400) },
  }),
  run: endpoint('GET', '/api/runs/:id', {
    tags: ['tracking'],
    params: RunParams,
    response: { 200: RunSchema, ...errorResponses(400, 404) },
  }),
  metricHistory: endpoint('GET', '/api/runs/:id/metrics/:key', {
    tags: ['tracking'],
    description:
      'Every logged value of one metric of a run, by step (walk-forward folds are steps).',
    params: MetricParams,
    response: { 200: Type.Array(MetricPointSchema), ...errorResponses(400, 404) },
  }),

  // registry
  models: endpoint('GET', '/api/models', {
    tags: ['registry'],
    description:
      'Registered models with their versions and aliases; each version with the data set it was trained on (digest, date range, ETL run).',
    response: { 200: Type.Array(RegisteredModelSchema) },
  }),
  modelHistory: endpoint('GET', '/api/models/:name/history', {
    tags: ['registry'],
    description: 'Alias moves of a registered model, newest first: who, why and the numbers.',
    params: ModelParams,
    response: { 200: Type.Array(AliasEventSchema), ...errorResponses(400) },
  }),
  championAt: endpoint('GET', '/api/models/:name/champion-at', {
    tags: ['registry'],
    description:
      'Which version was serving (`champion`) at a past time, from the alias audit log; null before the first champion move.',
    params: ModelParams,
    querystring: ChampionAtQuery,
    response: { 200: ChampionAtSchema, ...errorResponses(400, 404) },
  }),
  setChampion: endpoint('POST', '/api/models/:name/aliases/champion', {
    tags: ['registry'],
    security: NEEDS_API_KEY,
    description:
      'Points `champion` at a version by hand (promotion or rollback); the move is recorded in the alias log with the reason. Serving picks it up on the next request.',
    params: ModelParams,
    body: SetChampionSchema,
    response: { 200: AliasMoveSchema, ...errorResponses(400, 401, 404) },
  }),

  // flows
  flows: endpoint('GET', '/api/flows', {
    tags: ['flows'],
    description: 'The flows this server runs, with their tasks and typed parameters.',
    response: { 200: Type.Array(FlowInfoSchema) },
  }),
  startFlow: endpoint(
    'POST',
    '/api/flows/:name/runs',
    {
      tags: ['flows'],
      security: NEEDS_API_KEY,
      description:
        "Body: the flow's parameters (see GET /api/flows); none means the defaults. Poll GET /api/flow-runs/{id}. With an Idempotency-Key header, a retry returns the run the first request started.",
      params: FlowParams,
      headers: IdempotencyHeaders,
      body: FlowStartBody,
      response: { 202: FlowRunAcceptedSchema, ...errorResponses(400, 401, 404) },
    },
    { emptyBody: {} },
  ),
  flowRuns: endpoint('GET', '/api/flow-runs', {
    tags: ['flows'],
    description: 'Flow runs, newest first (the tracked experiment runs are /api/runs).',
    querystring: FlowRunsQuery,
    response: { 200: Type.Array(FlowRunSchema), ...errorResponses(400) },
  }),
  flowRun: endpoint('GET', '/api/flow-runs/:id', {
    tags: ['flows'],
    description: 'One flow run with its task runs and log lines.',
    params: FlowRunParams,
    response: { 200: FlowRunDetailSchema, ...errorResponses(400, 404) },
  }),
  cancelFlowRun: endpoint('POST', '/api/flow-runs/:id/cancel', {
    tags: ['flows'],
    security: NEEDS_API_KEY,
    description:
      'A queued run is Cancelled at once; a running one stops at its next heartbeat (a few seconds) or task boundary.',
    params: FlowRunParams,
    response: { 200: FlowRunSchema, ...errorResponses(400, 401, 404) },
  }),
  schedules: endpoint('GET', '/api/schedules', {
    tags: ['flows'],
    description: 'Schedules with their next run.',
    response: { 200: Type.Array(ScheduleSchema) },
  }),
  updateSchedule: endpoint('PUT', '/api/schedules/:id', {
    tags: ['flows'],
    security: NEEDS_API_KEY,
    description: 'Enable, disable or edit a schedule; cron has five fields, timezone is IANA.',
    params: ScheduleParams,
    body: SchedulePatchSchema,
    response: { 200: ScheduleSchema, ...errorResponses(400, 401, 404) },
  }),

  // model recipes
  recipes: endpoint('GET', '/api/recipes', {
    tags: ['recipes'],
    description: 'Model recipes, the latest version of each, by id.',
    response: { 200: Type.Array(RecipeSchema) },
  }),
  recipe: endpoint('GET', '/api/recipes/:id', {
    tags: ['recipes'],
    description: "A recipe's latest version, with the numbers of all its versions.",
    params: RecipeParams,
    response: { 200: RecipeDetailSchema, ...errorResponses(400, 404) },
  }),
  recipeVersion: endpoint('GET', '/api/recipes/:id/versions/:version', {
    tags: ['recipes'],
    description:
      'One version of a recipe, as the runs tagged stockops.recipe = id@version were trained from (still there after a delete).',
    params: RecipeVersionParams,
    response: { 200: RecipeDetailSchema, ...errorResponses(400, 404) },
  }),
  createRecipe: endpoint('POST', '/api/recipes', {
    tags: ['recipes'],
    security: NEEDS_API_KEY,
    description:
      'Stores version 1 of a new recipe. Settings are checked beyond the schema: only the kind trained may have settings, the feature set must exist, purge at least the longest horizon.',
    body: RecipeCreateSchema,
    response: { 201: RecipeDetailSchema, ...errorResponses(400, 401, 409) },
  }),
  updateRecipe: endpoint('PUT', '/api/recipes/:id', {
    tags: ['recipes'],
    security: NEEDS_API_KEY,
    description: 'Stores the next version; earlier versions stay as they were.',
    params: RecipeParams,
    body: RecipeUpdateSchema,
    response: { 200: RecipeDetailSchema, ...errorResponses(400, 401, 404) },
  }),
  deleteRecipe: endpoint('DELETE', '/api/recipes/:id', {
    tags: ['recipes'],
    security: NEEDS_API_KEY,
    description:
      'Removes the recipe from the list; its versions still resolve for the runs that name them, and its id is not reused.',
    params: RecipeParams,
    response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
  }),
  runRecipe: endpoint('POST', '/api/recipes/:id/runs', {
    tags: ['recipes'],
    security: NEEDS_API_KEY,
    description:
      'Starts one train (or evaluate) flow run per ticker and horizon, every one pinned to the same version; each tracked run is tagged stockops.recipe = id@version.',
    params: RecipeParams,
    body: RecipeRunRequestSchema,
    response: { 202: RecipeRunsStartedSchema, ...errorResponses(400, 401, 404) },
  }),

  // monitoring
  monitoringReports: endpoint('GET', '/api/monitoring/reports', {
    tags: ['monitoring'],
    description:
      'Monitoring reports, newest first: one per monitor run and served model, with its window (bar dates) and the drift verdicts of features, return and predictions.',
    querystring: ReportsQuery,
    response: { 200: Type.Array(MonitoringReportSummarySchema), ...errorResponses(400) },
  }),
  monitoringReport: endpoint('GET', '/api/monitoring/reports/:id', {
    tags: ['monitoring'],
    description:
      "One report whole: every feature's test, statistic, threshold and verdict (or not enough data), reference vs current histograms, the reference it compared with.",
    params: ReportParams,
    response: { 200: MonitoringReportSchema, ...errorResponses(400, 404) },
  }),
  realisedAccuracy: endpoint('GET', '/api/monitoring/accuracy', {
    tags: ['monitoring'],
    description:
      'Realised accuracy of served forecasts as a time series, newest window end first: per model version, its newest matured forecasts (target date bar loaded) against naive on the same dates: RMSE of returns, skill, direction accuracy beside the up-rate, coverage per interval level, count matured. Written by each monitor run.',
    querystring: RealisedQuery,
    response: { 200: Type.Array(RealisedPointSchema), ...errorResponses(400) },
  }),
  retrainDecisions: endpoint('GET', '/api/retrain-decisions', {
    tags: ['monitoring'],
    description:
      'Every decision of the retrain policy, newest first, retrain or not, suppressed or not: the rule that fired, what suppressed it, the numbers, the train run it started.',
    querystring: DecisionsQuery,
    response: { 200: Type.Array(RetrainDecisionSchema), ...errorResponses(400) },
  }),
  retrainPolicy: endpoint('GET', '/api/retrain-policy', {
    tags: ['monitoring'],
    description: 'The retrain policy in force: stored by PUT, else from the environment.',
    response: { 200: RetrainPolicyViewSchema },
  }),
  putRetrainPolicy: endpoint('PUT', '/api/retrain-policy', {
    tags: ['monitoring'],
    security: NEEDS_API_KEY,
    description:
      'Stores the retrain policy: the settings given replace those in force, the rest keep their value. Saving resumes a policy stopped for a model by failed retrains.',
    body: RetrainPolicyPatchSchema,
    response: { 200: RetrainPolicyViewSchema, ...errorResponses(400, 401) },
  }),
  approvals: endpoint('GET', '/api/approvals', {
    tags: ['monitoring'],
    description:
      "Retrains' promotions held for a person (the retrain policy's approval step), newest first, with what came of each.",
    querystring: ApprovalsQuery,
    response: { 200: Type.Array(ApprovalSchema), ...errorResponses(400) },
  }),
  approve: endpoint(
    'POST',
    '/api/approvals/:id/approve',
    {
      tags: ['monitoring'],
      security: NEEDS_API_KEY,
      description:
        'Approves a held promotion: the gate runs again against the champion of now and moves it if the version still beats naive and the champion; recorded in the alias log.',
      params: ApprovalParams,
      body: ApprovalDecisionSchema,
      response: { 200: ApprovalSchema, ...errorResponses(400, 401, 404, 409) },
    },
    { emptyBody: {} },
  ),
  reject: endpoint(
    'POST',
    '/api/approvals/:id/reject',
    {
      tags: ['monitoring'],
      security: NEEDS_API_KEY,
      description: 'Rejects a held promotion: the champion stays; recorded in the alias log.',
      params: ApprovalParams,
      body: ApprovalDecisionSchema,
      response: { 200: ApprovalSchema, ...errorResponses(400, 401, 404, 409) },
    },
    { emptyBody: {} },
  ),
  alerts: endpoint('GET', '/api/alerts', {
    tags: ['monitoring'],
    description:
      'Alerts, newest first: persistent drift, accuracy decay, coverage break, flow failures in a row, stale data, quarantine spikes, a stopped retrain policy. One open alert per condition; resolved when it ends.',
    querystring: AlertsQuery,
    response: { 200: Type.Array(AlertSchema), ...errorResponses(400) },
  }),
  ackAlert: endpoint(
    'POST',
    '/api/alerts/:id/ack',
    {
      tags: ['monitoring'],
      security: NEEDS_API_KEY,
      description:
        'Acknowledges an open alert: it stays open, marked as seen by `by` (default "api"), until its condition ends.',
      params: AlertParams,
      body: AlertAckSchema,
      response: { 200: AlertSchema, ...errorResponses(400, 401, 404, 409) },
    },
    { emptyBody: {} },
  ),
} as const;

export type Endpoints = typeof endpoints;
