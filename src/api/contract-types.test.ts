// The wire shapes of src/api and the domain records they carry cannot drift: checked by the compiler (tsc runs this file).
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AlertRecord,
  PromotionApproval,
  AliasEvent,
  Bar,
  BusEvent,
  ColumnDriftJson,
  DatasetDriftJson,
  EtlRunRecord,
  FlowInfo,
  FlowLogLine,
  ForecastLogRow,
  MetricPoint as CoreMetricPoint,
  ModelVersion,
  MonitoringReport,
  MonitoringReportSummary,
  QuarantineEntry as CoreQuarantineEntry,
  Recipe,
  RegisteredModel,
  RetrainDecisionRecord,
  RetrainPolicySettings,
  TaskRunRecord,
  TickerSummary as CoreTickerSummary,
  TrackedRun,
  DatasetInput,
} from '../core/index.js';
import type {
  Alert,
  Approval,
  AliasEventInfo,
  ApiBar,
  ColumnDriftResult,
  DatasetDriftResult,
  EtlRun,
  FlowInfoView,
  FlowLog,
  FlowRun,
  LiveEvent,
  MetricPoint,
  ModelVersionInfo,
  MonitoringReportSummaryView,
  MonitoringReportView,
  QuarantineEntry,
  RecipeView,
  RegisteredModelInfo,
  RetrainDecisionView,
  RetrainPolicy,
  Run,
  ServedPrediction,
  TaskRun,
  TickerSummary,
  VersionDataset,
} from './index.js';
import type { FlowRunRecord } from '../core/index.js';

describe('the HTTP contract', () => {
  it('carries the domain records field for field', () => {
    expectTypeOf<ApiBar>().toEqualTypeOf<Bar>();
    expectTypeOf<TickerSummary>().toEqualTypeOf<CoreTickerSummary>();
    expectTypeOf<QuarantineEntry>().toEqualTypeOf<CoreQuarantineEntry>();
    expectTypeOf<Run>().toEqualTypeOf<TrackedRun>();
    expectTypeOf<MetricPoint>().toEqualTypeOf<CoreMetricPoint>();
    expectTypeOf<Omit<ModelVersionInfo, 'dataset'>>().toEqualTypeOf<ModelVersion>();
    expectTypeOf<Omit<VersionDataset, 'etlRunId'>>().toEqualTypeOf<Omit<DatasetInput, 'name'>>();
    expectTypeOf<Omit<RegisteredModelInfo, 'versions'>>().toEqualTypeOf<RegisteredModel>();
    expectTypeOf<AliasEventInfo>().toEqualTypeOf<AliasEvent>();
    expectTypeOf<EtlRun>().toEqualTypeOf<EtlRunRecord>();
    expectTypeOf<FlowInfoView>().toEqualTypeOf<FlowInfo>();
    expectTypeOf<FlowLog>().toEqualTypeOf<FlowLogLine>();
    expectTypeOf<TaskRun>().toEqualTypeOf<Omit<TaskRunRecord, 'flowRunId'>>();
    expectTypeOf<RecipeView>().toEqualTypeOf<Recipe>();
    expectTypeOf<ColumnDriftResult>().toEqualTypeOf<ColumnDriftJson>();
    expectTypeOf<DatasetDriftResult>().toEqualTypeOf<DatasetDriftJson>();
    expectTypeOf<MonitoringReportSummaryView>().toEqualTypeOf<MonitoringReportSummary>();
    expectTypeOf<MonitoringReportView>().toEqualTypeOf<MonitoringReport>();
    expectTypeOf<RetrainDecisionView>().toEqualTypeOf<RetrainDecisionRecord>();
    expectTypeOf<RetrainPolicy>().toEqualTypeOf<RetrainPolicySettings>();
    expectTypeOf<Alert>().toEqualTypeOf<AlertRecord>();
    expectTypeOf<Approval>().toEqualTypeOf<PromotionApproval>();
  });

  it('streams the events of the bus field for field', () => {
    type Flat<T> = { [K in keyof T]: T[K] };
    type Wire<T> = Flat<Extract<LiveEvent, { type: T }>>;
    type Bus<T> = Flat<Extract<BusEvent, { type: T }>>;
    expectTypeOf<Wire<'prediction.served'>>().toEqualTypeOf<Bus<'prediction.served'>>();
    expectTypeOf<Wire<'metrics.sample'>>().toEqualTypeOf<Bus<'metrics.sample'>>();
    expectTypeOf<Wire<'alert.raised'>>().toEqualTypeOf<Bus<'alert.raised'>>();
    expectTypeOf<Wire<'alert.resolved'>>().toEqualTypeOf<Bus<'alert.resolved'>>();
    expectTypeOf<Wire<'flow-run.changed'>>().toEqualTypeOf<Bus<'flow-run.changed'>>();
    expectTypeOf<Wire<'model.alias-moved'>>().toEqualTypeOf<Bus<'model.alias-moved'>>();
    expectTypeOf<Wire<'data.loaded'>>().toEqualTypeOf<Bus<'data.loaded'>>();
    expectTypeOf<LiveEvent['type']>().toEqualTypeOf<BusEvent['type']>();
  });

  it('lists a forecast-log row as stored, with its outcome beside it', () => {
    expectTypeOf<Omit<ServedPrediction, 'actual' | 'interval'>>().toEqualTypeOf<
      Omit<ForecastLogRow, 'id' | 'intervals'>
    >();
    expectTypeOf<ServedPrediction['interval']>().toEqualTypeOf<
      ForecastLogRow['intervals'][number][]
    >();
  });

  it('shows a flow run without its lease and idempotency internals', () => {
    expectTypeOf<FlowRun>().toEqualTypeOf<
      Omit<FlowRunRecord, 'idempotencyKey' | 'heartbeatAt' | 'cancelRequested'>
    >();
  });
});
