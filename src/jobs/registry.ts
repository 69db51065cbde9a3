// The typed job registry: every job name has exactly one handler, checked before anything starts.
import type { JobHandler } from '../core/index.js';

export const JOB_NAMES = ['train', 'bootstrap'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export function checkHandlers(handlers: ReadonlyMap<string, JobHandler>): void {
  const missing = JOB_NAMES.filter((n) => !handlers.has(n));
  const unknown = [...handlers.keys()].filter((n) => !(JOB_NAMES as readonly string[]).includes(n));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `Job registry mismatch: ${missing.length > 0 ? `no handler for ${missing.join(', ')}` : ''}` +
        `${unknown.length > 0 ? ` handlers for unknown jobs ${unknown.join(', ')}` : ''}; ` +
        'register exactly one handler per name in JOB_NAMES (src/jobs/registry.ts)',
    );
  }
}
