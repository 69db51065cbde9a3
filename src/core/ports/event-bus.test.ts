// The event payloads spelt out in event-bus.ts stay equal to the records they carry: checked by the compiler.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AliasEvent,
  FlowRunChanged,
  FlowRunRecord,
  FlowRunSnapshot,
  FlowRunState,
  MetricsSample,
  ModelAliasMoved,
} from '../index.js';

describe('event payloads', () => {
  it('carry a flow run as the API shows it, and an alias move as the audit log records it', () => {
    expectTypeOf<FlowRunSnapshot>().toEqualTypeOf<
      Omit<FlowRunRecord, 'idempotencyKey' | 'heartbeatAt' | 'cancelRequested'>
    >();
    expectTypeOf<ModelAliasMoved>().toEqualTypeOf<Omit<AliasEvent, 'id'>>();
    expectTypeOf<NonNullable<FlowRunChanged['previousState']>>().toEqualTypeOf<FlowRunState>();
    expectTypeOf<MetricsSample['flowRuns'][number]['state']>().toEqualTypeOf<FlowRunState>();
  });
});
