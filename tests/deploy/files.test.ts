// The image, the workflows, the hooks and the Makefile say what the deploy issue asks of them. Real: actionlint
// (built with go install) on the workflows; the rest is read from the files.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goTool, ROOT } from './tools.js';

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

describe('the container image', () => {
  const dockerfile = read('Dockerfile');
  it('builds in one stage and runs the production dependencies in another, as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:24\.\d+\.\d+-/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/api\/health/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/stockops.js"\]$/m);
  });
  it('keeps local data, secrets and tests out of the build context', () => {
    const ignore = read('.dockerignore').split('\n');
    for (const p of ['.env', 'node_modules', '.stockops', '.services', 'tests']) {
      expect(ignore, p).toContain(p);
    }
  });
});

describe('GitHub Actions', () => {
  it('passes actionlint', () => {
    const actionlint = goTool('actionlint');
    expect(() =>
      execFileSync(
        actionlint,
        ['-no-color', '.github/workflows/ci.yml', '.github/workflows/image.yml'],
        {
          cwd: ROOT,
          stdio: 'pipe',
        },
      ),
    ).not.toThrow();
  });
  it('runs what .ci/run runs, and builds the image', () => {
    expect(read('.github/workflows/ci.yml')).toMatch(/run: bash \.ci\/run/);
    expect(read('.github/workflows/image.yml')).toMatch(/docker\/build-push-action/);
  });
});

describe('hooks and the Makefile', () => {
  const pkg = JSON.parse(read('package.json')) as {
    scripts: Record<string, string>;
    'lint-staged': Record<string, string[]>;
  };
  it('formats and lints staged files before a commit, installed by npm install outside CI', () => {
    expect(read('.husky/pre-commit')).toMatch(/lint-staged/);
    expect(Object.values(pkg['lint-staged']).flat().join(' ')).toMatch(/prettier --write/);
    expect(pkg.scripts.prepare).toMatch(/install-hooks\.mjs/);
    expect(read('scripts/install-hooks.mjs')).toMatch(/process\.env\.CI/);
  });
  it('installs no hook from a dependency of its own accord (npm ci in a shared clone stays hook-free)', () => {
    // simple-git-hooks' postinstall writes .git/hooks whatever CI says; husky only acts when install-hooks.mjs
    // calls it. Every installed package with an install script is listed here and none of them touches git.
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(withScripts).not.toContain('simple-git-hooks');
    expect(withScripts).not.toContain('husky');
    expect(withScripts.filter((n) => /hook/i.test(n))).toEqual([]);
  });
  it("keeps the original system's make targets, each one line delegating to npm or compose", () => {
    const out = execFileSync('make', ['-n', 'up', 'down', 'train', 'workflow', 'test'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out).toMatch(/docker compose -f deploy\/compose.yaml .* --profile full up/);
    expect(out).toMatch(/npx stockops train/);
    expect(out).toMatch(/npx stockops flow run retrain-all --wait/);
    expect(out).toMatch(/npm test/);
  });
});
