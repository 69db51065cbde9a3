// Monitoring reports on SQL: the summary and verdicts in columns (lists and the policy's window query), the whole report as JSON beside them.
import type {
  DriftWindow,
  MonitoringReport,
  MonitoringReportQuery,
  MonitoringReportStore,
  MonitoringReportSummary,
} from '../../core/index.js';
import type { SqlClient } from './client.js';

interface ReportRow {
  id: string | number;
  summary: string;
  body?: string;
}

const SUMMARY_KEYS = [
  'flowRunId',
  'ticker',
  'horizon',
  'model',
  'version',
  'createdAt',
  'window',
  'status',
  'featureDrift',
  'targetDrift',
  'predictionDrift',
  'message',
] as const satisfies readonly (keyof MonitoringReportSummary)[];

function split(r: Omit<MonitoringReport, 'id'>) {
  const summary: Record<string, unknown> = {};
  for (const k of SUMMARY_KEYS) {
    summary[k] = r[k];
  }
  const { features, target, predictions, histograms, reference } = r;
  return { summary, body: { features, target, predictions, histograms, reference } };
}

const summaryOf = (row: ReportRow): MonitoringReportSummary => ({
  id: Number(row.id),
  ...(JSON.parse(row.summary) as Omit<MonitoringReportSummary, 'id'>),
});

export class SqlMonitoringReportStore implements MonitoringReportStore {
  constructor(private readonly db: SqlClient) {}

  async save(report: Omit<MonitoringReport, 'id'>): Promise<MonitoringReport> {
    const { summary, body } = split(report);
    const empty = report.window.rows === 0;
    const rows = await this.db.query<{ id: string | number }>(
      `insert into monitoring_reports (flow_run_id, ticker, horizon, model_name, model_version, created_at,
         window_from, window_to, window_rows, status, feature_drift, drift_share, target_drift, prediction_drift,
         summary, body)
       values ($1, $2, $3, $4, $5, $6, $7::date, $8::date, $9, $10, $11, $12, $13, $14, $15, $16) returning id`,
      [
        report.flowRunId,
        report.ticker,
        report.horizon,
        report.model,
        report.version,
        report.createdAt,
        empty ? null : report.window.from,
        empty ? null : report.window.to,
        report.window.rows,
        report.status,
        report.featureDrift?.drift ?? null,
        report.featureDrift?.share ?? null,
        report.targetDrift,
        report.predictionDrift,
        JSON.stringify(summary),
        JSON.stringify(body),
      ],
    );
    return { ...report, id: Number(rows[0]?.id) };
  }

  async get(id: number): Promise<MonitoringReport | null> {
    const rows = await this.db.query<ReportRow & { body: string }>(
      'select id, summary, body from monitoring_reports where id = $1',
      [id],
    );
    const row = rows[0];
    if (!row) {
      return null;
    }
    return {
      ...(JSON.parse(row.body) as Omit<MonitoringReport, keyof MonitoringReportSummary>),
      ...summaryOf(row),
    };
  }

  async list(q: MonitoringReportQuery): Promise<MonitoringReportSummary[]> {
    const rows = await this.db.query<ReportRow>(
      `select id, summary from monitoring_reports
       where ($1::text is null or ticker = $1) and ($2::int is null or horizon = $2)
         and ($3::text is null or model_name = $3)
       order by id desc limit $4`,
      [q.ticker ?? null, q.horizon ?? null, q.model ?? null, q.limit ?? 50],
    );
    return rows.map(summaryOf);
  }

  async windows(model: string, version: number, limit: number): Promise<DriftWindow[]> {
    const rows = await this.db.query<{ window_to: string; id: string | number; drift: boolean }>(
      `select distinct on (window_to) window_to::text as window_to, id, feature_drift as drift
       from monitoring_reports
       where model_name = $1 and model_version = $2 and feature_drift is not null
       order by window_to desc, id desc limit $3`,
      [model, version, limit],
    );
    return rows.map((r) => ({ windowTo: r.window_to, reportId: Number(r.id), drift: r.drift }));
  }
}
