// Monitoring one served model: feature, target and prediction drift of its most recent live rows against the reference stored with its champion version, as one stored report.
import {
  addDays,
  driftSection,
  featureWindow,
  getFeatureSet,
  histogramPair,
  InternalError,
  isHorizon,
  modelFromJSON,
  parseModelName,
  ReportNotFoundError,
  toSeries,
  type HistogramPair,
  type MonitoringReport,
  type MonitoringReportSummary,
  type MonitoringReportQuery,
  type ModelVersion,
  type TickerSymbol,
} from '../core/index.js';
import { DEFAULT_MONITORING_SETTINGS } from '../core/index.js';
import type { MonitorStores, ServiceDeps } from './deps.js';
import { readVersionReference } from './monitoring-reference.js';

/** The monitoring stores, or an InternalError naming what the runtime forgot to wire. */
export function monitorStoresOf(deps: Pick<ServiceDeps, 'monitorStores'>): MonitorStores {
  if (!deps.monitorStores) {
    throw new InternalError(
      'monitoring needs ServiceDeps.monitorStores (reports, decisions, policy, alerts, runs, quarantine); openRuntime sets them',
    );
  }
  return deps.monitorStores;
}

/** A served model: a registered `${ticker}.h${horizon}` with a champion. */
export interface ServedModel {
  name: string;
  ticker: TickerSymbol;
  horizon: number;
  champion: ModelVersion;
}

/** Every model with a champion, optionally only some tickers, horizons or a market (Taipei or not). */
export async function servedModels(
  deps: Pick<ServiceDeps, 'registry'>,
  scope: { tickers?: readonly string[] | null; horizons?: readonly number[] | null } = {},
): Promise<ServedModel[]> {
  const out: ServedModel[] = [];
  for (const m of await deps.registry.listModels()) {
    const parsed = parseModelName(m.name);
    if (!parsed || m.aliases.champion === undefined) {
      continue;
    }
    if (scope.tickers && !scope.tickers.includes(parsed.symbol)) {
      continue;
    }
    if (scope.horizons && !scope.horizons.includes(parsed.horizon)) {
      continue;
    }
    const champion = await deps.registry.getVersion(m.name, m.aliases.champion);
    out.push({ name: m.name, ticker: parsed.symbol, horizon: parsed.horizon, champion });
  }
  return out;
}

/** Calendar days that surely hold `n` sessions (weekends plus a margin for holiday clusters). */
const calendarDaysFor = (n: number) => Math.ceil((n * 7) / 5) + 20;

const now = (deps: Pick<ServiceDeps, 'now'>) => (deps.now ? deps.now() : new Date()).getTime();

/**
 * Compares the last `windowRows` bars' rows of a served model with its champion's reference: each feature,
 * the realised return (where its bar is loaded), and the champion's own predictions on those rows against its
 * in-sample and out-of-sample predictions at training time. One report is stored, whatever the outcome.
 */
export async function monitorModel(
  deps: ServiceDeps,
  model: ServedModel,
  options: { flowRunId?: string | null } = {},
): Promise<MonitoringReport> {
  const stores = monitorStoresOf(deps);
  const settings = deps.monitoring ?? DEFAULT_MONITORING_SETTINGS;
  const base = {
    flowRunId: options.flowRunId ?? null,
    ticker: model.ticker,
    horizon: model.horizon,
    model: model.name,
    version: model.champion.version,
    createdAt: now(deps),
    window: { from: '', to: '', rows: 0 },
    featureDrift: null,
    targetDrift: null,
    predictionDrift: null,
    features: null,
    target: null,
    predictions: null,
    histograms: {},
    reference: null,
  } satisfies Omit<MonitoringReport, 'id' | 'status' | 'message'>;
  const reference = await readVersionReference(deps, model.champion.runId);
  if (!reference) {
    return stores.reports.save({
      ...base,
      status: 'no-reference',
      message: `v${model.champion.version} was trained before monitoring references were stored; retrain it to monitor it`,
    });
  }
  const refInfo = {
    training: reference.training,
    sample: { rows: reference.sample.rows, from: reference.sample.from, to: reference.sample.to },
    thresholds: reference.thresholds,
  };
  try {
    const json = JSON.parse(
      new TextDecoder().decode(
        await deps.tracker.getArtifact(model.champion.runId, 'model/model.json'),
      ),
    ) as unknown;
    const predictor = modelFromJSON(json);
    const set = getFeatureSet(reference.featureSet);
    const summary = await deps.prices.getTicker(model.ticker);
    const lastDate = summary?.lastDate;
    // The window's rows and their look-back; a feature set with unbounded memory needs every bar.
    const from =
      lastDate === undefined || set.window === null
        ? undefined
        : addDays(lastDate, -calendarDaysFor(settings.windowRows + set.window + model.horizon));
    const bars = await deps.prices.getBars(model.ticker, from === undefined ? {} : { from });
    const w = featureWindow(toSeries(model.ticker, bars), set, model.horizon, settings.windowRows);
    const window = {
      from: w.dates[0] ?? '',
      to: w.dates[w.dates.length - 1] ?? '',
      rows: w.dates.length,
    };
    const t = reference.thresholds;
    const features = driftSection(reference.features.columns, w.columns, t);
    const target = driftSection({ return: reference.target }, { return: w.returns }, t);
    const predicted = w.rows.nRows > 0 ? predictor.predict(w.rows) : new Float64Array(0);
    const predictions = driftSection(
      {
        in_sample: reference.predictions.inSample,
        out_of_sample: reference.predictions.outOfSample,
      },
      { in_sample: predicted, out_of_sample: predicted },
      t,
    );
    const histograms: Record<string, HistogramPair> = {};
    for (const [name, ref] of Object.entries(reference.features.columns)) {
      histograms[name] = histogramPair(ref, w.columns[name] ?? []);
    }
    const tested = features.summary.nTested > 0;
    const verdict = (s: typeof target) => (s.summary.nTested > 0 ? s.summary.drift : null);
    return await stores.reports.save({
      ...base,
      window,
      status: tested ? 'ok' : 'not-enough-data',
      featureDrift: tested ? features.summary : null,
      targetDrift: verdict(target),
      predictionDrift: verdict(predictions),
      features,
      target,
      predictions,
      histograms,
      reference: refInfo,
      message: tested
        ? `${features.summary.nDrifted} of ${features.summary.nTested} features drifted (share ${features.summary.share.toFixed(2)}, threshold ${features.summary.threshold}) over ${window.from}..${window.to}`
        : `not enough data: ${window.rows} rows in the window, ${t.minSamples} needed per column`,
    });
  } catch (e) {
    // One model's broken artifact or data must not stop the others: the report says what went wrong.
    return stores.reports.save({
      ...base,
      reference: refInfo,
      status: 'failed',
      message: e instanceof Error ? e.message : String(e),
    });
  }
}

export function listReports(
  deps: Pick<ServiceDeps, 'monitorStores'>,
  query: MonitoringReportQuery,
): Promise<MonitoringReportSummary[]> {
  if (query.horizon !== undefined && !isHorizon(query.horizon)) {
    return Promise.resolve([]);
  }
  return monitorStoresOf(deps).reports.list(query);
}

export async function getReport(
  deps: Pick<ServiceDeps, 'monitorStores'>,
  id: number,
): Promise<MonitoringReport> {
  const r = await monitorStoresOf(deps).reports.get(id);
  if (!r) {
    throw new ReportNotFoundError(id);
  }
  return r;
}
