// deploy/compose.yaml, loaded by compose-go (the library Docker Compose uses) in both profiles, holds what a stack
// needs: pinned images, a healthcheck per long-running service, ordered starts, every app variable in
// deploy/.env.example and every mounted file present. Real: compose-go (tools/compose-check). No Docker engine.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { goTool, ROOT, variablesTheAppReads } from './tools.js';

interface Service {
  image?: string;
  build?: unknown;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  volumes?: { type: string; source: string; target: string }[];
  environment?: Record<string, string | null>;
  profiles?: string[];
}
interface Project {
  services: Record<string, Service>;
}

let checker = '';
const load = (profile: string): Project =>
  JSON.parse(
    execFileSync(
      checker,
      ['-f', 'deploy/compose.yaml', '-env-file', 'deploy/.env.example', '-profile', profile],
      { cwd: ROOT, encoding: 'utf8' },
    ),
  ) as Project;

beforeAll(() => {
  checker = goTool('compose-check');
}, 900_000);

describe('deploy/compose.yaml', () => {
  it('starts the small stack in the core profile and every service in the full one', () => {
    expect(Object.keys(load('core').services).sort()).toEqual(
      ['api', 'migrate', 'minio', 'minio-init', 'postgres', 'redis', 'worker-core'].sort(),
    );
    const full = Object.keys(load('full').services);
    for (const s of [
      'postgres',
      'redis',
      'minio',
      'mlflow',
      'kafka',
      'clickhouse',
      'prometheus',
      'grafana',
      'nginx',
      'api-a',
      'api-b',
      'worker',
      'migrate',
    ]) {
      expect(full, s).toContain(s);
    }
  });

  for (const profile of ['core', 'full']) {
    it(`pins every image and checks the health of every long-running service (${profile})`, () => {
      const { services } = load(profile);
      for (const [name, s] of Object.entries(services)) {
        expect(s.image, `${name} has an image`).toBeDefined();
        const tag = (s.image ?? '').split('/').at(-1)?.split(':')[1] ?? '';
        expect(tag, `${name} image ${s.image ?? ''} has a pinned tag`).toMatch(/\d/);
        expect(tag, name).not.toMatch(/^latest$/);
        const oneShot = s.restart === 'no';
        if (!oneShot) {
          expect(s.healthcheck?.test?.length ?? 0, `${name} has a healthcheck`).toBeGreaterThan(0);
        }
      }
    });

    it(`starts a service only once what it needs is healthy or done (${profile})`, () => {
      const { services } = load(profile);
      for (const [name, s] of Object.entries(services)) {
        for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
          const target = services[dep];
          expect(target, `${name} depends on ${dep}, which is in the profile`).toBeDefined();
          const expected =
            target?.restart === 'no' ? 'service_completed_successfully' : 'service_healthy';
          expect(condition, `${name} -> ${dep}`).toBe(expected);
        }
      }
    });

    it(`mounts only files and folders that exist (${profile})`, () => {
      for (const [name, s] of Object.entries(load(profile).services)) {
        for (const v of s.volumes ?? []) {
          if (v.type === 'bind') {
            expect(existsSync(v.source), `${name} mounts ${v.source}`).toBe(true);
          }
        }
      }
    });
  }

  it('lists every variable the app reads in deploy/.env.example', () => {
    const example = readFileSync(join(ROOT, 'deploy/.env.example'), 'utf8');
    const listed = new Set(
      [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] ?? ''),
    );
    const missing = variablesTheAppReads().filter((v) => !listed.has(v));
    expect(missing, 'variables read by src/ but not in deploy/.env.example').toEqual([]);
  });

  it('gives the stockops processes their settings from the environment, never from the image', () => {
    const { services } = load('full');
    for (const name of ['api-a', 'api-b', 'worker', 'migrate']) {
      const env = services[name]?.environment ?? {};
      expect(env.DATABASE_URL, name).toMatch(/^postgres:\/\/stockops:.+@postgres:5432\/stockops$/);
      expect(env.STOCKOPS_API_KEY, name).toBeTruthy();
    }
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).not.toMatch(/PASSWORD|SECRET|API_KEY|DATABASE_URL/);
  });
});
