// The home page in one answer: every ticker with its last close, champions per horizon and latest forecast, and the last ETL and training runs.
import {
  HORIZONS,
  marketOf,
  modelName,
  normalizeSymbol,
  type FlowService,
  type ModelVersion,
  type TickerSummary,
} from '../core/index.js';
import type { Overview, OverviewTicker } from '../api/index.js';
import { errorSummary, lastCloseOf } from './datasets.js';
import type { ServiceDeps } from './deps.js';
import { predict } from './predict.js';
import type { ServingCache } from './serving-cache.js';

const num = (tag: string | undefined): number | null => {
  const v = tag === undefined ? Number.NaN : Number(tag);
  return Number.isFinite(v) ? v : null;
};

function championOf(v: ModelVersion | null): OverviewTicker['champions'][number]['champion'] {
  return v
    ? {
        name: v.name,
        version: v.version,
        kind: v.tags.kind ?? 'unknown',
        skill: num(v.tags.skill),
        rmse: num(v.tags.rmse),
        rmseNaive: num(v.tags.rmse_naive),
      }
    : null;
}

async function tickerOverview(
  deps: ServiceDeps,
  serving: ServingCache,
  t: TickerSummary,
): Promise<OverviewTicker> {
  const symbol = normalizeSymbol(t.symbol);
  const [lastClose, champions] = await Promise.all([
    lastCloseOf(deps, t),
    Promise.all(
      HORIZONS.map(async (horizon) => ({
        horizon,
        champion: championOf(
          await deps.registry.getVersionByAlias(modelName(symbol, horizon), 'champion'),
        ),
      })),
    ),
  ]);
  const served = champions.find((c) => c.champion !== null);
  let forecast: OverviewTicker['forecast'] = null;
  let forecastError: OverviewTicker['forecastError'] = null;
  if (served) {
    try {
      const p = await predict(deps, serving, {
        ticker: symbol,
        horizon: served.horizon,
      });
      const band = p.interval.find((i) => i.level === 0.8) ?? p.interval[0];
      forecast = {
        horizon: p.horizon,
        asOf: p.asOf,
        targetDate: p.targetDate,
        predictedClose: p.predictedClose,
        predictedReturn: p.predictedReturn,
        modelKind: p.model.kind,
        interval: band ?? null,
      };
    } catch (e) {
      forecastError = errorSummary(e);
    }
  }
  return {
    symbol,
    ...marketOf(symbol),
    lastDate: t.lastDate,
    lastClose,
    rows: t.rows,
    champions,
    forecast,
    forecastError,
  };
}

export async function overview(
  deps: ServiceDeps,
  serving: ServingCache,
  flows: FlowService,
): Promise<Overview> {
  const [tickers, etlRuns, trainRuns] = await Promise.all([
    deps.prices.listTickers(),
    deps.etlRuns ? deps.etlRuns.list(1) : Promise.resolve([]),
    flows.list({ flow: 'train', limit: 1 }),
  ]);
  const etl = etlRuns[0];
  const train = trainRuns[0];
  return {
    tickers: await Promise.all(tickers.map((t) => tickerOverview(deps, serving, t))),
    lastEtl: etl
      ? {
          id: etl.id,
          status: etl.status,
          tickers: etl.tickers,
          startedAt: etl.startedAt,
          endedAt: etl.endedAt,
          flowRunId: etl.flowRunId,
        }
      : null,
    lastTraining: train
      ? {
          flowRunId: train.id,
          flow: train.flow,
          state: train.state,
          parameters: train.parameters,
          createdAt: train.createdAt,
          endedAt: train.endedAt,
          error: train.error,
        }
      : null,
  };
}
