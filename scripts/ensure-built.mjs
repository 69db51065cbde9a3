// Builds dist/ (tsc) and web/dist (vite) when missing or older than their sources; run by `prepare` and the bin.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) {
    return t;
  }
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

function run(bin, args, quiet) {
  const exe = join(root, 'node_modules', '.bin', bin);
  if (!existsSync(exe)) {
    throw new Error(`stockops is not built and ${bin} is missing: run "npm install" in ${root}`);
  }
  if (!quiet) {
    console.error(`stockops: ${bin} ${args.join(' ')}`);
  }
  execFileSync(exe, args, {
    cwd: root,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Several processes (parallel test workers, CLI calls) may ask for a build at once; a lock directory
 * (mkdir is atomic) makes one build while the others wait and then find it current.
 */
function withBuildLock(fn) {
  const lock = join(root, '.build-lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (existsSync(lock) ? statSync(lock).mtimeMs : Date.now());
      if (age > 5 * 60_000 || Date.now() > deadline) {
        rmSync(lock, { recursive: true, force: true });
      } else {
        sleep(200);
      }
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function ensureBuilt(options = {}) {
  if (isCurrent()) {
    return;
  }
  withBuildLock(() => build(options));
}

function isCurrent() {
  const serverSrc = Math.max(newest(join(root, 'src')), mtime(join(root, 'tsconfig.build.json')));
  const webSrc = Math.max(newest(join(root, 'web', 'src')), mtime(join(root, 'web', 'index.html')));
  return (
    (!existsSync(join(root, 'src')) || mtime(join(root, 'dist', 'cli', 'bin.js')) >= serverSrc) &&
    (!existsSync(join(root, 'web', 'src')) ||
      mtime(join(root, 'web', 'dist', 'index.html')) >= webSrc)
  );
}

function build({ quiet = false }) {
  const serverOut = join(root, 'dist', 'cli', 'bin.js');
  const serverSrc = Math.max(newest(join(root, 'src')), mtime(join(root, 'tsconfig.build.json')));
  if (existsSync(join(root, 'src')) && mtime(serverOut) < serverSrc) {
    run('tsc', ['-p', 'tsconfig.build.json'], quiet);
  }
  const webOut = join(root, 'web', 'dist', 'index.html');
  const webSrc = Math.max(newest(join(root, 'web', 'src')), mtime(join(root, 'web', 'index.html')));
  if (existsSync(join(root, 'web', 'src')) && mtime(webOut) < webSrc) {
    run('vite', ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], quiet);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureBuilt();
}
