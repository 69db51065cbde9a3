// Builds dist/ (tsc) and web/dist (vite) when missing or older than their sources; run by `prepare` and the bin.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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

export function ensureBuilt({ quiet = false } = {}) {
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
