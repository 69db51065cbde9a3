// Dependency rules of docs/architecture.md, checked on the source: layers point one way, core is pure,
// and a folder is entered only through its index.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');
const WEB = resolve(import.meta.dirname, '..', '..', 'web', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const layerOf = (file: string) => (relative(SRC, file).split(sep)[0] ?? '').replace(/\.js$/, '.ts');

/** Which top-level folders each layer may import. */
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  // The HTTP contract: pure, so the web bundles it as source.
  api: ['api', 'core'],
  stores: ['stores', 'core'],
  // Services return the contract's response types (type imports only, checked below).
  services: ['services', 'core', 'api', 'version.ts'],
  flows: ['flows', 'core'],
  metrics: ['metrics'],
  config: ['config', 'core'],
  runtime: ['runtime', 'core', 'config', 'flows', 'metrics', 'services', 'stores'],
  server: ['server', 'api', 'core', 'config', 'metrics', 'services', 'runtime', 'version.ts'],
  cli: ['cli', 'api', 'core', 'config', 'services', 'runtime', 'server', 'stores', 'version.ts'],
  'version.ts': [],
};

const imports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map(
    (m) => m[1] ?? '',
  );

describe('source layering', () => {
  const all = files(SRC).filter((f) => !f.endsWith('.test.ts'));

  it('keeps core pure: no Node built-ins, no packages, nothing outside core', () => {
    for (const f of all.filter((x) => layerOf(x) === 'core')) {
      for (const spec of imports(f)) {
        expect(spec.startsWith('.'), `${relative(SRC, f)} imports ${spec}`).toBe(true);
        expect(layerOf(resolve(dirname(f), spec)), `${relative(SRC, f)} imports ${spec}`).toBe(
          'core',
        );
      }
    }
  });

  it('points layers one way: server/cli -> services/flows -> core <- stores', () => {
    for (const f of all) {
      const from = layerOf(f);
      for (const spec of imports(f).filter((s) => s.startsWith('.'))) {
        const to = layerOf(resolve(dirname(f), spec));
        expect(
          ALLOWED[from] ?? [],
          `${relative(SRC, f)} (${from}) imports ${spec} (${to})`,
        ).toContain(to);
      }
    }
  });

  it('keeps the HTTP contract pure: core and TypeBox only, so the web can bundle it', () => {
    for (const f of all.filter((x) => layerOf(x) === 'api')) {
      for (const spec of imports(f).filter((s) => !s.startsWith('.'))) {
        expect(spec, `${relative(SRC, f)} imports ${spec}`).toMatch(/^@sinclair\/typebox(\/|$)/);
      }
    }
  });

  it('lets services take types and constants from the contract, never its schemas (validation stays at the edge)', () => {
    for (const f of all.filter((x) => layerOf(x) === 'services')) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/gm)) {
        const spec = m[3] ?? '';
        if (
          m[1] !== undefined ||
          !spec.startsWith('.') ||
          layerOf(resolve(dirname(f), spec)) !== 'api'
        ) {
          continue;
        }
        const values = (m[2] ?? '')
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n !== '' && !n.startsWith('type '));
        for (const v of values) {
          expect(v, `${relative(SRC, f)} imports ${v} from the contract`).not.toMatch(
            /Schema$|^endpoints$|^createApiClient$/,
          );
        }
      }
    }
  });

  it('has the web use the contract as @stockops/api and nothing else of src/', () => {
    for (const f of files(WEB)) {
      for (const spec of imports(f)) {
        expect(spec, `${relative(WEB, f)} imports ${spec}`).not.toMatch(/\.\.\/.*src\/|^node:/);
      }
    }
    const users = files(WEB).filter((f) => imports(f).includes('@stockops/api'));
    expect(users.length).toBeGreaterThan(0);
  });

  it('enters another folder only through its index.ts', () => {
    for (const f of all) {
      for (const spec of imports(f).filter((s) => s.startsWith('..'))) {
        const target = resolve(dirname(f), spec);
        const sameFolderTree = target.startsWith(dirname(f) + sep);
        // A subfolder is part of its enclosing folder: it may use that folder's own files (models/gbdt uses model.ts).
        const fromInside = (dirname(f) + sep).startsWith(dirname(target) + sep);
        if (!sameFolderTree && !fromInside && !target.endsWith('version.js')) {
          expect(
            target.endsWith(`${sep}index.js`),
            `${relative(SRC, f)} imports ${spec} past a barrel`,
          ).toBe(true);
        }
      }
    }
  });
});
