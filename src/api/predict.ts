// Serving resources: one forecast per horizon (/api/predict) and the path over the next trading days (/api/forecast).
import { Type, type Static } from '@sinclair/typebox';
import { Horizon, Ticker } from './primitives.js';

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
