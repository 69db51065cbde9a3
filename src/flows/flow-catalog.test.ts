// checkHandlers: the process refuses to start unless every flow has exactly one handler.
import { describe, expect, it } from 'vitest';
import type { JobHandler } from '../core/index.js';
import { checkHandlers, FLOW_NAMES } from './flow-catalog.js';

const handler: JobHandler = () => Promise.resolve(null);

describe('checkHandlers', () => {
  it('refuses to start with a flow missing its handler or a handler for no flow, naming both', () => {
    const handlers = new Map<string, JobHandler>(
      FLOW_NAMES.filter((n) => n !== 'etl').map((n) => [n, handler]),
    );
    handlers.set('stray', handler);
    expect(() => {
      checkHandlers(handlers);
    }).toThrow(
      expect.objectContaining({
        code: 'FLOW_CATALOG_MISMATCH',
        details: { missing: ['etl'], unknown: ['stray'] },
      }) as Error,
    );
    handlers.delete('stray');
    handlers.set('etl', handler);
    expect(() => {
      checkHandlers(handlers);
    }).not.toThrow();
  });
});
