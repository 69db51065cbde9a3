// Builds dist/ and web/dist once before tests that spawn the real `stockops` binary.
import { ensureBuilt } from '../scripts/ensure-built.mjs';

export default function setup(): void {
  ensureBuilt({ quiet: true });
}
