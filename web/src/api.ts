// Typed fetch helpers for the stockops JSON API, with the server's error envelope turned into ApiError.

export interface TickerSummary {
  symbol: string;
  firstDate: string;
  lastDate: string;
  rows: number;
}

export interface Bar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  adjClose: number;
  volume: number | null;
}

export interface History {
  symbol: string;
  bars: Bar[];
}

/** Walk-forward scores; each one is optional so an older model without a metric still renders. */
export interface ModelMetrics {
  rmse?: number;
  rmseNaive?: number;
  skill?: number;
  directionAccuracy?: number;
  upRate?: number;
  folds?: number;
  mape?: number;
}

export interface ModelInfo {
  name: string;
  version: number;
  kind: string;
  runId?: string;
  metrics: ModelMetrics;
}

export interface PredictionInterval {
  level: number;
  lower: number;
  upper: number;
}

export interface Prediction {
  ticker: string;
  asOf: string;
  horizon: number;
  targetDate: string;
  lastClose: number;
  predictedClose: number;
  predictedReturn: number;
  modelVersion: number;
  model: ModelInfo;
  baseline: { predictedClose: number };
  intervals: PredictionInterval[];
}

export const HORIZONS = [1, 5, 20] as const;
export type Horizon = (typeof HORIZONS)[number];

/** An API failure: `code` is the server's stable error code, or a client-side one for transport faults. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number | undefined;

  constructor(code: string, message: string, status?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The server is written in parallel with this UI, so a response of the wrong shape gets a message
// naming the field instead of surfacing later as "cannot read properties of undefined".
function fail(what: string, field: string, found: unknown): never {
  const shown = found === undefined ? 'nothing' : JSON.stringify(found);
  throw new ApiError(
    'BAD_RESPONSE',
    `Unexpected ${what} from the server: expected ${field}, found ${shown}`,
  );
}

function str(obj: Json, key: string, what: string): string {
  const value = obj[key];
  return typeof value === 'string' ? value : fail(what, `string "${key}"`, value);
}

function num(obj: Json, key: string, what: string): number {
  const value = obj[key];
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : fail(what, `number "${key}"`, value);
}

function optNum(obj: Json, key: string): number | undefined {
  const value = obj[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function obj(value: unknown, what: string, field: string): Json {
  return isObject(value) ? value : fail(what, field, value);
}

function parseTickers(body: unknown): TickerSummary[] {
  if (!Array.isArray(body)) {
    return fail('ticker list', 'an array', body);
  }
  return body.map((item: unknown) => {
    const t = obj(item, 'ticker list', 'ticker objects');
    return {
      symbol: str(t, 'symbol', 'ticker'),
      firstDate: str(t, 'firstDate', 'ticker'),
      lastDate: str(t, 'lastDate', 'ticker'),
      rows: num(t, 'rows', 'ticker'),
    };
  });
}

function parseHistory(body: unknown): History {
  const h = obj(body, 'price history', 'an object');
  const bars = h.bars;
  if (!Array.isArray(bars)) {
    return fail('price history', 'array "bars"', bars);
  }
  return {
    symbol: str(h, 'symbol', 'price history'),
    bars: bars.map((item: unknown) => {
      const b = obj(item, 'price history', 'bar objects');
      return {
        date: str(b, 'date', 'bar'),
        open: num(b, 'open', 'bar'),
        high: num(b, 'high', 'bar'),
        low: num(b, 'low', 'bar'),
        close: num(b, 'close', 'bar'),
        adjClose: optNum(b, 'adjClose') ?? num(b, 'close', 'bar'),
        volume: optNum(b, 'volume') ?? null,
      };
    }),
  };
}

function parseIntervals(value: unknown): PredictionInterval[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter(isObject).map((i) => ({
    level: num(i, 'level', 'prediction interval'),
    lower: num(i, 'lower', 'prediction interval'),
    upper: num(i, 'upper', 'prediction interval'),
  }));
}

function parsePrediction(body: unknown): Prediction {
  const p = obj(body, 'prediction', 'an object');
  const model = obj(p.model, 'prediction', 'object "model"');
  const metrics = isObject(model.metrics) ? model.metrics : {};
  const baseline = isObject(p.baseline) ? p.baseline : {};
  const lastClose = num(p, 'lastClose', 'prediction');
  const version = num(model, 'version', 'model');
  return {
    ticker: str(p, 'ticker', 'prediction'),
    asOf: str(p, 'asOf', 'prediction'),
    horizon: num(p, 'horizon', 'prediction'),
    targetDate: str(p, 'targetDate', 'prediction'),
    lastClose,
    predictedClose: num(p, 'predictedClose', 'prediction'),
    predictedReturn: num(p, 'predictedReturn', 'prediction'),
    modelVersion: optNum(p, 'modelVersion') ?? version,
    model: {
      name: str(model, 'name', 'model'),
      version,
      kind: str(model, 'kind', 'model'),
      runId: typeof model.runId === 'string' ? model.runId : undefined,
      metrics: {
        rmse: optNum(metrics, 'rmse'),
        rmseNaive: optNum(metrics, 'rmseNaive'),
        skill: optNum(metrics, 'skill'),
        directionAccuracy: optNum(metrics, 'directionAccuracy'),
        upRate: optNum(metrics, 'upRate'),
        folds: optNum(metrics, 'folds'),
        mape: optNum(metrics, 'mape'),
      },
    },
    // "Tomorrow = today": when the server leaves the baseline out, it is the last close by definition.
    baseline: { predictedClose: optNum(baseline, 'predictedClose') ?? lastClose },
    intervals: parseIntervals(p.interval),
  };
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * One request to the API, its JSON body returned. Failures are ApiErrors: the server's
 * `{ error: { code, message } }` when it sent one, else `HTTP_<status>`, or `NETWORK` when it was not
 * reached; an abort is rethrown as is.
 */
export async function request<T>(
  path: string,
  init: RequestInit = {},
  signal?: AbortSignal,
): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, signal: signal ?? null });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') {
      throw err;
    }
    throw new ApiError(
      'NETWORK',
      `Could not reach the stockops API at ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const body = await readJson(res);
  if (!res.ok) {
    const envelope = isObject(body) && isObject(body.error) ? body.error : undefined;
    const code =
      envelope && typeof envelope.code === 'string' ? envelope.code : `HTTP_${res.status}`;
    const message =
      envelope && typeof envelope.message === 'string'
        ? envelope.message
        : `The server answered ${res.status} ${res.statusText} for ${path}`;
    throw new ApiError(code, message, res.status);
  }
  return body as T;
}

async function getJson<T>(path: string, parse: (body: unknown) => T, signal?: AbortSignal) {
  return parse(await request<unknown>(path, {}, signal));
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function fetchTickers(signal?: AbortSignal): Promise<TickerSummary[]> {
  return getJson('/api/tickers', parseTickers, signal);
}

export function fetchHistory(symbol: string, signal?: AbortSignal): Promise<History> {
  return getJson(`/api/tickers/${encodeURIComponent(symbol)}/history`, parseHistory, signal);
}

export function fetchPrediction(
  symbol: string,
  horizon: Horizon,
  signal?: AbortSignal,
): Promise<Prediction> {
  const query = new URLSearchParams({ ticker: symbol, horizon: String(horizon) });
  return getJson(`/api/predict?${query.toString()}`, parsePrediction, signal);
}
