// The wire shapes of src/api and the domain records they carry cannot drift: checked by the compiler (tsc runs this file).
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AlertRecord,
  PromotionApproval,
  AliasEvent,
  Bar,
  ColumnDriftJson,
  DatasetDriftJson,
  EtlRunRecord,
  FlowInfo,
  FlowLogLine,
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

  it('shows a flow run without its lease and idempotency internals', () => {
    expectTypeOf<FlowRun>().toEqualTypeOf<
      Omit<FlowRunRecord, 'idempotencyKey' | 'heartbeatAt' | 'cancelRequested'>
    >();
  });
});
