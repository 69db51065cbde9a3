// Installs the pre-commit hook (husky runs .husky/pre-commit: lint-staged formats and lints the staged files) when
// npm install runs in a git checkout on a person's machine; CI (CI set), STOCKOPS_NO_HOOKS and image builds (no
// .git) skip it. husky, unlike simple-git-hooks, has no postinstall of its own: nothing but this script touches
// the git configuration, so `CI=1 npm ci` in a shared clone or worktree never installs a hook behind our back.
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

if (
  process.env.CI ||
  process.env.STOCKOPS_NO_HOOKS ||
  !existsSync(join(root, 'node_modules', 'husky')) ||
  !inGitCheckout()
) {
  process.exit(0);
}
try {
  process.chdir(root);
  const { default: husky } = await import('husky');
  const message = husky('.husky');
  if (message) {
    console.error(`stockops: the pre-commit hook was not installed (${message})`);
  }
} catch (err) {
  // A hook that cannot be installed (read-only .git, say) must not fail the install.
  console.error(`stockops: the pre-commit hook was not installed (${String(err)})`);
}
