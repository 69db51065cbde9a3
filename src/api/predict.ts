// Serving resources: one forecast per horizon (/api/predict) and the path over the next trading days (/api/forecast).
import { Type, type Static } from '@sinclair/typebox';
import { EpochMs, Horizon, IsoDate, ModelName, Ticker } from './primitives.js';

export const PriceIntervalSchema = Type.Object({
  level: Type.Number({ description: 'Nominal coverage, e.g. 0.8' }),
  lower: Type.Number(),
  upper: Type.Number(),
});
export type PriceInterval = Static<typeof PriceIntervalSchema>;

/** Walk-forward scores of a served version; each optional, so an older version without one still serves. */
export const ModelMetricsSchema = Type.Partial(
  Type.Object({
    rmse: Type.Number({ description: 'RMSE of log returns, out of sample' }),
    rmseNaive: Type.Number({ description: 'RMSE of the naive forecast on the same rows' }),
    skill: Type.Number({ description: '1 - rmse / rmseNaive' }),
    directionAccuracy: Type.Number(),
    upRate: Type.Number({
      description: 'Share of up moves: the direction accuracy of "always up"',
    }),
    folds: Type.Number(),
    mape: Type.Number(),
    dmPValue: Type.Number({ description: 'Diebold-Mariano p-value against naive' }),
    coverage80: Type.Number(),
    coverage95: Type.Number(),
    intervalWidth80: Type.Number({
      description: 'Mean width of the 80% interval as a fraction of the price, out of sample',
    }),
    intervalWidth95: Type.Number(),
    intervalScore80: Type.Number({
      description:
        'Mean interval (Winkler) score of the 80% interval as a fraction of the price: width plus 2/alpha times the miss; lower is better',
    }),
    intervalScore95: Type.Number(),
  }),
);
export type ModelMetrics = Static<typeof ModelMetricsSchema>;

/** How the conformal scores of a version were made (see core/evaluation/conformal.ts). */
export const IntervalMethodSchema = Type.Union(
  [Type.Literal('volatility'), Type.Literal('absolute')],
  {
    description:
      'volatility: |residual| scaled by the volatility forecast at forecast time, so bands widen in turbulent markets; absolute: unscaled residuals (versions trained before the scaled scores)',
  },
);

export const ServedModelSchema = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  kind: Type.String({
    description:
      'Model kind; "naive" (tomorrow = today, with its own calibrated intervals) whenever no trained version beats it on the gate window',
  }),
  runId: Type.String(),
  featureSet: Type.String({ description: 'id@version the model was trained on' }),
  metrics: ModelMetricsSchema,
  servedBecause: Type.String({
    description:
      "Why this version holds the champion alias: the promotion gate's decision with its numbers (naive is the floor: it serves until a version beats it), or the reason given for a manual move",
  }),
  intervalMethod: Type.Optional(IntervalMethodSchema),
});
export type ServedModelInfo = Static<typeof ServedModelSchema>;

export const PredictQuery = Type.Object(
  { ticker: Ticker, horizon: Type.Optional(Horizon) },
  { additionalProperties: false },
);

export const PredictionSchema = Type.Object({
  ticker: Type.String(),
  asOf: Type.String({ description: 'Date of the last bar the forecast is made from' }),
  horizon: Type.Integer(),
  targetDate: Type.String({ description: 'The horizon-th trading day after asOf' }),
  lastClose: Type.Number(),
  predictedClose: Type.Number(),
  predictedReturn: Type.Number({ description: 'Predicted log return over the horizon' }),
  modelVersion: Type.Integer(),
  model: ServedModelSchema,
  baseline: Type.Object(
    { predictedClose: Type.Number() },
    { description: 'Naive forecast: tomorrow = today' },
  ),
  interval: Type.Array(PriceIntervalSchema, {
    description:
      'Conformal intervals of the close at targetDate (80% and 95%), calibrated online by adaptive conformal inference; empty for models trained without calibration',
  }),
});
export type Prediction = Static<typeof PredictionSchema>;

/** Longest forecast path served, in trading days. */
export const MAX_FORECAST_DAYS = 20;

export const ForecastQuery = Type.Object(
  {
    ticker: Ticker,
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FORECAST_DAYS, default: 20 })),
  },
  { additionalProperties: false },
);

export const ForecastPointSchema = Type.Object({
  day: Type.Integer({ description: 'Trading days ahead (1 = next session)' }),
  date: Type.String(),
  predictedReturn: Type.Number(),
  predictedClose: Type.Number(),
  interval: Type.Array(PriceIntervalSchema),
  source: Type.Union([Type.Literal('model'), Type.Literal('interpolated'), Type.Literal('naive')], {
    description:
      "model: the champion for exactly this horizon; interpolated: between two horizons with champions (linear in log return, widths linear in sqrt(days)); naive: past the longest horizon with a champion, no trend is invented: the last close, with naive's own calibrated widths scaled by sqrt(days)",
  }),
});
export type ForecastPoint = Static<typeof ForecastPointSchema>;

export const ForecastSchema = Type.Object({
  ticker: Type.String(),
  asOf: Type.String(),
  lastClose: Type.Number(),
  days: Type.Integer(),
  models: Type.Array(
    Type.Object({
      horizon: Type.Integer(),
      name: Type.String(),
      version: Type.Integer(),
      kind: Type.String(),
      runId: Type.String(),
      metrics: Type.Optional(ModelMetricsSchema),
      servedBecause: Type.Optional(Type.String()),
    }),
    { description: 'The champions the path is built from, one per horizon that has one' },
  ),
  missingHorizons: Type.Array(Type.Integer(), {
    description:
      'Horizons (of 1, 5, 20) without a champion: the path does not use them; train one to fill it in',
  }),
  path: Type.Array(ForecastPointSchema),
});
export type Forecast = Static<typeof ForecastSchema>;

/** Most items one batch request takes. */
export const MAX_BATCH_ITEMS = 1000;

export const BatchPredictRequestSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { ticker: Ticker, horizon: Type.Optional(Horizon) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_BATCH_ITEMS },
    ),
  },
  { additionalProperties: false },
);
export type BatchPredictRequest = Static<typeof BatchPredictRequestSchema>;

export const BatchPredictItemSchema = Type.Object({
  ticker: Type.String(),
  horizon: Type.Integer(),
  status: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
  prediction: Type.Optional(PredictionSchema),
  error: Type.Optional(
    Type.Object(
      { code: Type.String(), message: Type.String() },
      { description: 'Why this item was not served (e.g. UNKNOWN_TICKER, MODEL_NOT_FOUND)' },
    ),
  ),
});
export type BatchPredictItem = Static<typeof BatchPredictItemSchema>;

export const BatchPredictResultSchema = Type.Object({
  served: Type.Integer({ description: 'Items with a prediction' }),
  failed: Type.Integer({ description: 'Items with an error' }),
  results: Type.Array(BatchPredictItemSchema, { description: 'One per item, in request order' }),
});
export type BatchPredictResult = Static<typeof BatchPredictResultSchema>;

/** Longest page of GET /api/predictions. */
export const MAX_PREDICTIONS_PAGE = 500;

export const PredictionsQuery = Type.Object(
  {
    ticker: Type.Optional(Ticker),
    horizon: Type.Optional(Horizon),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    model: Type.Optional(ModelName),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PREDICTIONS_PAGE, default: 50 })),
    cursor: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,200}$',
        description: 'nextCursor of the previous page (opaque, base64url)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The version that made a served forecast, as the forecast log and the `prediction.served` event name it. */
export const ForecastModelSchema = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  kind: Type.String(),
  runId: Type.String(),
  featureSet: Type.String(),
});

export const ServedPredictionSchema = Type.Object({
  ticker: Type.String(),
  horizon: Type.Integer(),
  asOf: Type.String({ description: 'Date of the last bar the forecast was made from' }),
  targetDate: Type.String(),
  model: ForecastModelSchema,
  lastClose: Type.Number(),
  predictedReturn: Type.Number(),
  predictedClose: Type.Number(),
  interval: Type.Array(PriceIntervalSchema),
  firstServedAt: EpochMs,
  lastServedAt: EpochMs,
  serveCount: Type.Integer({ description: 'Times it was served, by every replica' }),
  actual: Type.Union(
    [
      Type.Object({
        close: Type.Number({
          description:
            "The outcome in the forecast's own price units: lastClose times the realised adjusted-close return (the day's close unless a split or dividend fell in between)",
        }),
        return: Type.Number({ description: 'Realised log return of the adjusted close' }),
        error: Type.Number({ description: 'close - predictedClose' }),
        returnError: Type.Number({ description: 'return - predictedReturn' }),
        intervals: Type.Array(
          Type.Object({
            level: Type.Number(),
            held: Type.Boolean({ description: 'lower <= close <= upper' }),
          }),
        ),
      }),
      Type.Null(),
    ],
    { description: "Null until the target date's bar is loaded" },
  ),
});
export type ServedPrediction = Static<typeof ServedPredictionSchema>;

export const PredictionsPageSchema = Type.Object({
  items: Type.Array(ServedPredictionSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as cursor for the next page; null on the last page',
  }),
});
export type PredictionsPage = Static<typeof PredictionsPageSchema>;
