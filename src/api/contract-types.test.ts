// The wire shapes of src/api and the domain records they carry cannot drift: checked by the compiler (tsc runs this file).
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AliasEvent,
  Bar,
  EtlRunRecord,
  FlowInfo,
  FlowLogLine,
  ForecastLogRow,
  MetricPoint as CoreMetricPoint,
  ModelVersion,
  QuarantineEntry as CoreQuarantineEntry,
  RegisteredModel,
  TaskRunRecord,
  TickerSummary as CoreTickerSummary,
  TrackedRun,
} from '../core/index.js';
import type {
  AliasEventInfo,
  ApiBar,
  EtlRun,
  FlowInfoView,
  FlowLog,
  FlowRun,
  MetricPoint,
  ModelVersionInfo,
  QuarantineEntry,
  RegisteredModelInfo,
  Run,
  ServedPrediction,
  TaskRun,
  TickerSummary,
} from './index.js';
import type { FlowRunRecord } from '../core/index.js';

describe('the HTTP contract', () => {
  it('carries the domain records field for field', () => {
    expectTypeOf<ApiBar>().toEqualTypeOf<Bar>();
    expectTypeOf<TickerSummary>().toEqualTypeOf<CoreTickerSummary>();
    expectTypeOf<QuarantineEntry>().toEqualTypeOf<CoreQuarantineEntry>();
    expectTypeOf<Run>().toEqualTypeOf<TrackedRun>();
    expectTypeOf<MetricPoint>().toEqualTypeOf<CoreMetricPoint>();
    expectTypeOf<ModelVersionInfo>().toEqualTypeOf<ModelVersion>();
    expectTypeOf<Omit<RegisteredModelInfo, 'versions'>>().toEqualTypeOf<RegisteredModel>();
    expectTypeOf<AliasEventInfo>().toEqualTypeOf<AliasEvent>();
    expectTypeOf<EtlRun>().toEqualTypeOf<EtlRunRecord>();
    expectTypeOf<FlowInfoView>().toEqualTypeOf<FlowInfo>();
    expectTypeOf<FlowLog>().toEqualTypeOf<FlowLogLine>();
    expectTypeOf<TaskRun>().toEqualTypeOf<Omit<TaskRunRecord, 'flowRunId'>>();
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
