// The deploy tests' tools: the Go test tools (built once into .services/bin by scripts/services/go-tools.sh) and
// the list of environment variables the app reads, taken from its sources.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** Path of a Go test tool, built first when missing (minutes on a cold machine; `npm run check` does it). */
export function goTool(name: 'actionlint' | 'helm' | 'compose-check'): string {
  try {
    return execFileSync('bash', ['scripts/services/go-tools.sh', name], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  } catch (e) {
    throw new Error(
      `scripts/services/go-tools.sh ${name} failed (it builds the tool with go install): ${String(e)}`,
    );
  }
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/**
 * Every environment variable the product reads: `env.NAME`, `env['NAME']`, `process.env.NAME` and the config
 * helpers' `(env, 'NAME'` form, and any quoted `'STOCKOPS_…'` string (names read through a table), anywhere in src/.
 */
export function variablesTheAppReads(): string[] {
  const found = new Set<string>();
  const patterns = [
    /\benv\.([A-Z][A-Z0-9_]+)\b/g,
    /\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g,
    /\(env,\s*['"]([A-Z][A-Z0-9_]+)['"]/g,
    // Names kept in tables and read through them (src/config/monitoring.ts: RETRAIN_VARS, the alert settings).
    /['"`](STOCKOPS_[A-Z0-9_]+)['"`]/g,
  ];
  for (const file of sources(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const p of patterns) {
      for (const m of text.matchAll(p)) {
        if (m[1] !== undefined) {
          found.add(m[1]);
        }
      }
    }
  }
  // NODE_ENV belongs to Node's ecosystem, not to stockops's configuration.
  found.delete('NODE_ENV');
  return [...found].sort();
}
