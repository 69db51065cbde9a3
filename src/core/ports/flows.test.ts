// FLOW_RUN_STATES: the flow run states as a value on the core surface.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { FLOW_RUN_STATES, type FlowRunState } from '../index.js';

describe('FLOW_RUN_STATES', () => {
  it('reaches the core surface as a value, one entry per FlowRunState', () => {
    expect(FLOW_RUN_STATES).toEqual([
      'Scheduled',
      'Queued',
      'Running',
      'Completed',
      'Failed',
      'Cancelled',
      'Crashed',
      'Retrying',
    ]);
    expect(new Set(FLOW_RUN_STATES).size).toBe(FLOW_RUN_STATES.length);
    expectTypeOf<(typeof FLOW_RUN_STATES)[number]>().toEqualTypeOf<FlowRunState>();
  });
});
