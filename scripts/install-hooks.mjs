// Installs the pre-commit hook (simple-git-hooks: lint-staged formats and lints the staged files) when npm
// install runs in a git checkout on a person's machine; CI (CI set) and image builds (no .git) skip it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function inGitCheckout() {
  try {
    execFileSync('git', ['rev-parse', '--git-dir'], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const bin = join(root, 'node_modules', '.bin', 'simple-git-hooks');
if (process.env.CI || process.env.STOCKOPS_NO_HOOKS || !existsSync(bin) || !inGitCheckout()) {
  process.exit(0);
}
try {
  execFileSync(bin, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
} catch {
  // A hook that cannot be installed (read-only .git, say) must not fail the install.
  console.error('stockops: the pre-commit hook was not installed (simple-git-hooks failed)');
}
