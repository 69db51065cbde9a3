// Types for scripts/ensure-built.mjs, imported by the test setup.
export declare function ensureBuilt(options?: { quiet?: boolean }): void;
