#!/usr/bin/env node
// The `stockops` command: makes sure the TypeScript build and the UI are current, then runs the CLI.
import { ensureBuilt } from '../scripts/ensure-built.mjs';

ensureBuilt({ quiet: true });
await import('../dist/cli/bin.js');
