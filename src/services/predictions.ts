// The forecast log as the API lists it: pages newest first behind an opaque cursor, each row joined to its outcome once the target date's bar exists.
import {
  InvalidInputError,
  type Bar,
  type ForecastLogPosition,
  type ForecastLogRow,
  type Horizon,
  type TickerSymbol,
} from '../core/index.js';
import type { PredictionsPage, ServedPrediction } from '../api/index.js';
import type { ServiceDeps } from './deps.js';

export interface PredictionsRequest {
  ticker?: TickerSymbol | undefined;
  horizon?: Horizon | undefined;
  from?: string | undefined;
  to?: string | undefined;
  model?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** The position after a page's last row, as base64url text: clients pass it back untouched. */
export function encodeCursor(p: ForecastLogPosition): string {
  return Buffer.from(`${p.asOf}|${p.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): ForecastLogPosition {
  const m = /^(\d{4}-\d{2}-\d{2})\|(\d{1,18})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!m?.[1] || !m[2]) {
    throw new InvalidInputError(
      'cursor',
      'expected the nextCursor of a previous page of GET /api/predictions',
    );
  }
  return { asOf: m[1], id: Number(m[2]) };
}

/**
 * The realised outcome of one forecast from the cleaned series as it is now: the adjusted-close return from asOf
 * to the target date (unchanged by splits and dividends recorded later, which rescale both ends), applied to
 * the close the forecast started from, so the outcome is in the same units as the forecast and its intervals.
 */
export function actualOf(
  row: ForecastLogRow,
  adjByDate: Map<string, number>,
): ServedPrediction['actual'] {
  const start = adjByDate.get(row.asOf);
  const end = adjByDate.get(row.targetDate);
  if (start === undefined || end === undefined || !(start > 0) || !(end > 0)) {
    return null;
  }
  const ret = Math.log(end / start);
  const close = row.lastClose * Math.exp(ret);
  return {
    close,
    return: ret,
    error: close - row.predictedClose,
    returnError: ret - row.predictedReturn,
    intervals: row.intervals.map((i) => ({
      level: i.level,
      held: i.lower <= close && close <= i.upper,
    })),
  };
}

/** One page of the forecast log, newest first, with outcomes where the target date's bar is stored. */
export async function listPredictions(
  deps: Pick<ServiceDeps, 'forecastLog' | 'prices'>,
  request: PredictionsRequest,
): Promise<PredictionsPage> {
  if (!deps.forecastLog) {
    return { items: [], nextCursor: null };
  }
  if (request.from !== undefined && request.to !== undefined && request.from > request.to) {
    throw new InvalidInputError(
      'from',
      `must not be after to (${request.to}), found ${request.from}`,
    );
  }
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
  const rows = await deps.forecastLog.list({
    ...(request.ticker !== undefined ? { ticker: request.ticker } : {}),
    ...(request.horizon !== undefined ? { horizon: request.horizon } : {}),
    ...(request.from !== undefined ? { from: request.from } : {}),
    ...(request.to !== undefined ? { to: request.to } : {}),
    ...(request.model !== undefined ? { model: request.model } : {}),
    ...(after ? { after } : {}),
    // One more than asked says whether there is a next page.
    limit: request.limit + 1,
  });
  const page = rows.slice(0, request.limit);
  // One read of the cleaned series per ticker on the page, over the dates its rows span.
  const spans = new Map<string, { from: string; to: string }>();
  for (const r of page) {
    const s = spans.get(r.ticker);
    spans.set(r.ticker, {
      from: s && s.from < r.asOf ? s.from : r.asOf,
      to: s && s.to > r.targetDate ? s.to : r.targetDate,
    });
  }
  const adj = new Map<string, Map<string, number>>();
  await Promise.all(
    [...spans].map(async ([ticker, span]) => {
      const bars: Bar[] = await deps.prices.getBars(ticker, span);
      adj.set(ticker, new Map(bars.map((b) => [b.date, b.adjClose])));
    }),
  );
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      ticker: r.ticker,
      horizon: r.horizon,
      asOf: r.asOf,
      targetDate: r.targetDate,
      model: r.model,
      lastClose: r.lastClose,
      predictedReturn: r.predictedReturn,
      predictedClose: r.predictedClose,
      interval: [...r.intervals],
      firstServedAt: r.firstServedAt,
      lastServedAt: r.lastServedAt,
      serveCount: r.serveCount,
      actual: actualOf(r, adj.get(r.ticker) ?? new Map<string, number>()),
    })),
    nextCursor: rows.length > request.limit && last ? encodeCursor(last) : null,
  };
}
