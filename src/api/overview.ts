// The overview resource: everything the home page shows in one answer (tickers, champions, latest forecasts, last runs).
import { Type, type Static } from '@sinclair/typebox';
import { EpochMs } from './primitives.js';

const ChampionSchema = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  kind: Type.String(),
  skill: Type.Union([Type.Number(), Type.Null()], {
    description: '1 - RMSE / RMSE of naive on the walk-forward test; above 0 beats naive',
  }),
  rmse: Type.Union([Type.Number(), Type.Null()]),
  rmseNaive: Type.Union([Type.Number(), Type.Null()]),
});

const LatestForecastSchema = Type.Object({
  horizon: Type.Integer(),
  asOf: Type.String(),
  targetDate: Type.String(),
  predictedClose: Type.Number(),
  predictedReturn: Type.Number(),
  modelKind: Type.String(),
  interval: Type.Union([
    Type.Object({ level: Type.Number(), lower: Type.Number(), upper: Type.Number() }),
    Type.Null(),
  ]),
});

export const OverviewTickerSchema = Type.Object({
  symbol: Type.String(),
  exchange: Type.String(),
  currency: Type.String(),
  lastDate: Type.String(),
  lastClose: Type.Union([Type.Number(), Type.Null()]),
  rows: Type.Integer(),
  champions: Type.Array(
    Type.Object({ horizon: Type.Integer(), champion: Type.Union([ChampionSchema, Type.Null()]) }),
    { description: 'One entry per horizon, null where nothing serves it yet' },
  ),
  forecast: Type.Union([LatestForecastSchema, Type.Null()], {
    description: 'The forecast of the shortest horizon that has a champion',
  }),
  forecastError: Type.Union([
    Type.Object({ code: Type.String(), message: Type.String() }),
    Type.Null(),
  ]),
});
export type OverviewTicker = Static<typeof OverviewTickerSchema>;

export const OverviewSchema = Type.Object({
  tickers: Type.Array(OverviewTickerSchema),
  lastEtl: Type.Union([
    Type.Object({
      id: Type.String(),
      status: Type.String(),
      tickers: Type.Array(Type.String()),
      startedAt: EpochMs,
      endedAt: Type.Union([EpochMs, Type.Null()]),
      flowRunId: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  lastTraining: Type.Union([
    Type.Object({
      flowRunId: Type.String(),
      flow: Type.String(),
      state: Type.String(),
      parameters: Type.Record(Type.String(), Type.Unknown()),
      createdAt: EpochMs,
      endedAt: Type.Union([EpochMs, Type.Null()]),
      error: Type.Union([
        Type.Object({ code: Type.String(), message: Type.String() }),
        Type.Null(),
      ]),
    }),
    Type.Null(),
  ]),
});
export type Overview = Static<typeof OverviewSchema>;
