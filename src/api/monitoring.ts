// Monitoring's wire shapes: the drift of one column and of a data set (as `stockops drift --json` prints them), monitoring reports, the retrain policy and its decisions, alerts.
import { Type, type Static } from '@sinclair/typebox';
import {
  ALERT_RULES,
  ALERT_STATES,
  APPROVAL_STATES,
  APPROVAL_TIMEOUT_ACTIONS,
  DRIFT_TESTS,
  RETRAIN_RULES,
  RETRAIN_SUPPRESSIONS,
} from '../core/index.js';
import {
  EpochMs,
  Horizon,
  IsoDate,
  ModelName,
  NON_BLANK_TEXT_PATTERN,
  SafeText,
  SerialId,
  Ticker,
} from './primitives.js';

/** Who acknowledged or decided: a name, not blank, without control characters. */
const Actor = Type.String({ minLength: 1, maxLength: 100, pattern: NON_BLANK_TEXT_PATTERN });

/** A computed number; JSON has no infinities or NaN, so those travel as the strings JavaScript prints for them. */
export const JsonNumberSchema = Type.Union(
  [Type.Number(), Type.Literal('Infinity'), Type.Literal('-Infinity'), Type.Literal('NaN')],
  { description: 'A number; non-finite values as "Infinity", "-Infinity" or "NaN"' },
);

export const DriftTestSchema = Type.Union(
  DRIFT_TESTS.map((t) => Type.Literal(t)),
  {
    description:
      "The test Evidently's DataDriftPreset rules chose: ks (two-sample Kolmogorov-Smirnov), wasserstein (normed by the reference's standard deviation), chisquare, z (two proportions), jensenshannon",
  },
);

export const ColumnDriftSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('numerical'), Type.Literal('categorical')]),
    nRef: Type.Integer({ description: 'Reference values once NaN and +-inf are dropped' }),
    nCur: Type.Integer({ description: 'Current values once NaN and +-inf are dropped' }),
    nValues: Type.Integer({ description: 'Distinct values of reference and current together' }),
    test: DriftTestSchema,
    statistic: Type.Union([JsonNumberSchema, Type.Null()], {
      description: 'The test statistic; null where it has none (Z on one and the same value)',
    }),
    pValue: Type.Optional(JsonNumberSchema),
    threshold: Type.Number({
      description:
        'Drift when p <= threshold (ks), p < threshold (chisquare, z), statistic >= threshold (distances)',
    }),
    drift: Type.Boolean(),
    psi: Type.Optional(
      Type.Object(
        {
          statistic: JsonNumberSchema,
          threshold: Type.Number(),
          drift: Type.Boolean(),
          nBins: Type.Integer(),
        },
        {
          additionalProperties: false,
          description: 'Population stability index, reported beside the test',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ColumnDriftResult = Static<typeof ColumnDriftSchema>;

export const DatasetDriftSchema = Type.Object(
  {
    columns: Type.Record(Type.String(), ColumnDriftSchema),
    dataset: Type.Object(
      {
        nColumns: Type.Integer(),
        nDrifted: Type.Integer(),
        share: Type.Number({ description: 'nDrifted / nColumns' }),
        threshold: Type.Number({ description: 'The data set drifts when share >= threshold' }),
        drift: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type DatasetDriftResult = Static<typeof DatasetDriftSchema>;

// Monitoring reports: drift of a served model's latest rows against the reference stored with its version.

export const ColumnVerdictSchema = Type.Union(
  [
    Type.Object(
      { status: Type.Literal('tested'), result: ColumnDriftSchema },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        status: Type.Literal('not-enough-data'),
        nRef: Type.Integer(),
        nCur: Type.Integer(),
        minSamples: Type.Integer(),
      },
      {
        additionalProperties: false,
        description: 'Fewer than minSamples finite values on a side: no verdict, never drift',
      },
    ),
  ],
  { description: "One column's verdict, or too few values for one" },
);

export const DriftSummarySchema = Type.Object(
  {
    nColumns: Type.Integer(),
    nTested: Type.Integer({ description: 'Columns with enough values on both sides' }),
    nNotEnoughData: Type.Integer(),
    nDrifted: Type.Integer(),
    share: Type.Number({ description: 'nDrifted / nTested (0 when nothing was tested)' }),
    threshold: Type.Number({ description: 'Drift when share >= threshold' }),
    drift: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const DriftSectionSchema = Type.Object(
  {
    columns: Type.Record(Type.String(), ColumnVerdictSchema),
    summary: DriftSummarySchema,
  },
  { additionalProperties: false },
);

export const HistogramPairSchema = Type.Object(
  {
    edges: Type.Array(Type.Number(), { description: 'Bin edges, ascending (bins + 1)' }),
    reference: Type.Array(Type.Number(), { description: 'Share of reference values per bin' }),
    current: Type.Array(Type.Number(), { description: 'Share of current values per bin' }),
  },
  { additionalProperties: false },
);

const DriftTestChoiceSchema = Type.Object(
  { test: Type.Optional(DriftTestSchema), threshold: Type.Optional(Type.Number()) },
  { additionalProperties: false },
);

export const MonitoringThresholdsSchema = Type.Object(
  {
    minSamples: Type.Integer({ description: 'Fewest finite values per side for a verdict' }),
    driftShare: Type.Number({
      description: 'Share of tested features that makes the window drift',
    }),
    columns: Type.Record(Type.String(), DriftTestChoiceSchema, {
      description: 'Test and threshold per feature',
    }),
    psi: Type.Boolean(),
  },
  { additionalProperties: false },
);

const DateWindowSchema = Type.Object(
  { from: Type.String(), to: Type.String(), rows: Type.Integer() },
  { additionalProperties: false },
);

export const MonitoringReportStatusSchema = Type.Union([
  Type.Literal('ok'),
  Type.Literal('no-reference'),
  Type.Literal('not-enough-data'),
  Type.Literal('failed'),
]);

const reportSummaryFields = {
  id: Type.Integer(),
  flowRunId: Type.Union([Type.String(), Type.Null()]),
  ticker: Type.String(),
  horizon: Type.Integer(),
  model: Type.String({ description: 'Registered model name' }),
  version: Type.Integer({ description: 'The champion version monitored' }),
  createdAt: EpochMs,
  window: Type.Object(
    { from: Type.String(), to: Type.String(), rows: Type.Integer() },
    {
      additionalProperties: false,
      description: 'The live rows compared, by bar date (empty strings when there were none)',
    },
  ),
  status: MonitoringReportStatusSchema,
  featureDrift: Type.Union([DriftSummarySchema, Type.Null()], {
    description: 'Dataset drift of the features; null without a verdict',
  }),
  targetDrift: Type.Union([Type.Boolean(), Type.Null()]),
  predictionDrift: Type.Union([Type.Boolean(), Type.Null()]),
  message: Type.String(),
};

export const MonitoringReportSummarySchema = Type.Object(reportSummaryFields, {
  additionalProperties: false,
});
export type MonitoringReportSummaryView = Static<typeof MonitoringReportSummarySchema>;

export const MonitoringReportSchema = Type.Object(
  {
    ...reportSummaryFields,
    features: Type.Union([DriftSectionSchema, Type.Null()]),
    target: Type.Union([DriftSectionSchema, Type.Null()], {
      description: 'The realised return over the horizon (column `return`)',
    }),
    predictions: Type.Union([DriftSectionSchema, Type.Null()], {
      description:
        "The champion's predictions on the window against its in-sample (`in_sample`) and out-of-sample (`out_of_sample`) predictions at training",
    }),
    histograms: Type.Record(Type.String(), HistogramPairSchema),
    reference: Type.Union([
      Type.Object(
        {
          training: DateWindowSchema,
          sample: DateWindowSchema,
          thresholds: MonitoringThresholdsSchema,
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
export type MonitoringReportView = Static<typeof MonitoringReportSchema>;

export const ReportsQuery = Type.Object(
  {
    ticker: Type.Optional(Ticker),
    horizon: Type.Optional(Horizon),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  },
  { additionalProperties: false },
);

export const ReportParams = Type.Object({ id: SerialId });

// Realised accuracy of served forecasts, a time series per model version.

export const RealisedPointSchema = Type.Object(
  {
    ticker: Type.String(),
    horizon: Type.Integer(),
    model: Type.String(),
    version: Type.Integer(),
    from: Type.String({ description: 'Target date of the oldest matured forecast in the window' }),
    to: Type.String({
      description: 'Target date of the newest matured forecast: the point in the series',
    }),
    matured: Type.Integer({ description: 'Matured forecasts in the window' }),
    rmse: Type.Number({ description: 'RMSE of predicted against realised log returns' }),
    rmseNaive: Type.Number({ description: 'RMSE of naive (a zero return) on the same dates' }),
    skill: Type.Number({ description: '1 - rmse / rmseNaive; below 0 loses to naive' }),
    directionAccuracy: Type.Number({ description: 'Share of forecasts with the right sign' }),
    upRate: Type.Number({ description: 'Share of realised returns above 0 (always "up")' }),
    coverage: Type.Record(Type.String(), Type.Number(), {
      description: 'Realised coverage per nominal level in percent ("80", "95")',
    }),
    computedAt: EpochMs,
    monitorRunId: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type RealisedPointView = Static<typeof RealisedPointSchema>;

export const RealisedQuery = Type.Object(
  {
    ticker: Type.Optional(Ticker),
    horizon: Type.Optional(Horizon),
    model: Type.Optional(ModelName),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
  },
  { additionalProperties: false },
);

// The retrain policy: its settings and every decision it made.

export const RetrainRuleSchema = Type.Union(
  RETRAIN_RULES.map((r) => Type.Literal(r)),
  {
    description:
      'drift (k consecutive drifted windows), accuracy (skill below naive by the margin), age, new-bars',
  },
);
export const RetrainSuppressionSchema = Type.Union(
  RETRAIN_SUPPRESSIONS.map((r) => Type.Literal(r)),
  { description: 'Why a rule that fired did not start a retrain' },
);

export const RetrainDecisionSchema = Type.Object(
  {
    id: Type.Integer(),
    model: Type.String(),
    ticker: Type.String(),
    horizon: Type.Integer(),
    version: Type.Union([Type.Integer(), Type.Null()], {
      description: 'The champion version decided about',
    }),
    decidedAt: EpochMs,
    retrain: Type.Boolean({ description: 'Whether a retrain was started' }),
    rule: Type.Union([RetrainRuleSchema, Type.Null()], {
      description: 'The first rule that fired, also when suppressed',
    }),
    fired: Type.Array(RetrainRuleSchema),
    suppressedBy: Type.Union([RetrainSuppressionSchema, Type.Null()]),
    reason: Type.String({ description: 'The decision in one sentence, with its numbers' }),
    numbers: Type.Record(Type.String(), Type.Number()),
    reportId: Type.Union([Type.Integer(), Type.Null()]),
    monitorRunId: Type.Union([Type.String(), Type.Null()]),
    trainRunId: Type.Union([Type.String(), Type.Null()], {
      description: 'The train flow run it started (GET /api/flow-runs/{id})',
    }),
  },
  { additionalProperties: false },
);
export type RetrainDecisionView = Static<typeof RetrainDecisionSchema>;

export const DecisionsQuery = Type.Object(
  {
    model: Type.Optional(ModelName),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  },
  { additionalProperties: false },
);

const policyFields = {
  enabled: Type.Boolean({
    description: 'Start retrains at all (decisions are recorded either way)',
  }),
  driftRuns: Type.Integer({
    minimum: 1,
    maximum: 1000,
    description: 'k consecutive drifted windows',
  }),
  minMatured: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    description: 'N matured forecasts before skill counts',
  }),
  skillMargin: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'Retrain when realised skill < -skillMargin',
  }),
  maxAgeDays: Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()], {
    description: 'Retrain a champion older than this; null: off',
  }),
  newBars: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()], {
    description: 'Retrain once this many bars arrived after its training data; null: off',
  }),
  cooldownDays: Type.Number({ minimum: 0, maximum: 365 }),
  maxPerDay: Type.Integer({ minimum: 0, maximum: 10_000, description: 'All models, any 24 hours' }),
  maxFailures: Type.Integer({
    minimum: 1,
    maximum: 1000,
    description: 'Failed retrains in a row after which the policy stops for the model',
  }),
  approval: Type.Boolean({ description: 'Hold a retrain’s promotion for a person' }),
  approvalTimeoutHours: Type.Number({ minimum: 0.01, maximum: 2160 }),
  approvalTimeoutAction: Type.Union(
    APPROVAL_TIMEOUT_ACTIONS.map((a) => Type.Literal(a)),
    { description: 'What a held promotion does when nobody answered in time' },
  ),
};

export const RetrainPolicySchema = Type.Object(policyFields, { additionalProperties: false });
export type RetrainPolicy = Static<typeof RetrainPolicySchema>;

export const RetrainPolicyPatchSchema = Type.Partial(
  Type.Object(policyFields, { additionalProperties: false }),
  {
    additionalProperties: false,
    description:
      'Settings to change; those left out keep their value. Saving also resumes a policy stopped by failures.',
  },
);

export const RetrainPolicyViewSchema = Type.Object(
  {
    settings: RetrainPolicySchema,
    source: Type.Union([Type.Literal('environment'), Type.Literal('stored')]),
    updatedAt: Type.Union([EpochMs, Type.Null()]),
    updatedBy: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type RetrainPolicyView = Static<typeof RetrainPolicyViewSchema>;

// Alerts: raised by the rules, deduplicated, acknowledged by a person, resolved when the condition ends.

export const AlertStateSchema = Type.Union(ALERT_STATES.map((s) => Type.Literal(s)));

export const AlertSchema = Type.Object(
  {
    id: Type.Integer(),
    key: Type.String({ description: 'rule:subject; at most one open alert per key' }),
    rule: Type.Union(ALERT_RULES.map((r) => Type.Literal(r))),
    severity: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]),
    ticker: Type.Union([Type.String(), Type.Null()]),
    horizon: Type.Union([Type.Integer(), Type.Null()]),
    message: Type.String(),
    value: Type.Union([Type.Number(), Type.Null()]),
    threshold: Type.Union([Type.Number(), Type.Null()]),
    state: AlertStateSchema,
    raisedAt: EpochMs,
    lastSeenAt: EpochMs,
    acknowledgedAt: Type.Union([EpochMs, Type.Null()]),
    acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
    resolvedAt: Type.Union([EpochMs, Type.Null()]),
  },
  { additionalProperties: false },
);
export type Alert = Static<typeof AlertSchema>;

export const AlertsQuery = Type.Object(
  {
    state: Type.Optional(
      Type.Union([AlertStateSchema, Type.Literal('open')], {
        description: 'open = active and acknowledged',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const AlertParams = Type.Object({ id: SerialId });

export const AlertAckSchema = Type.Object(
  { by: Type.Optional(Actor) },
  { additionalProperties: false },
);

// Promotions held for approval (the retrain policy's approval step).

export const ApprovalStateSchema = Type.Union(APPROVAL_STATES.map((s) => Type.Literal(s)));

export const ApprovalSchema = Type.Object(
  {
    id: Type.Integer(),
    model: Type.String(),
    version: Type.Integer({ description: 'The version the gate would promote' }),
    runId: Type.String(),
    gateDecision: Type.String({ description: "The gate's decision when the promotion was held" }),
    requestedAt: EpochMs,
    expiresAt: EpochMs,
    state: ApprovalStateSchema,
    decidedAt: Type.Union([EpochMs, Type.Null()]),
    decidedBy: Type.Union([Type.String(), Type.Null()], {
      description: 'Who approved or rejected it; `timeout` when nobody did in time',
    }),
    outcome: Type.Union([Type.String(), Type.Null()], {
      description: "What came of it: the gate's decision when approved, or why rejected",
    }),
  },
  { additionalProperties: false },
);
export type Approval = Static<typeof ApprovalSchema>;

export const ApprovalsQuery = Type.Object(
  {
    state: Type.Optional(ApprovalStateSchema),
    model: Type.Optional(ModelName),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const ApprovalParams = Type.Object({ id: SerialId });

export const ApprovalDecisionSchema = Type.Object(
  {
    by: Type.Optional(Actor),
    reason: Type.Optional(SafeText({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
