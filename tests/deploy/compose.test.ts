// deploy/compose.yaml, loaded by compose-go (the library Docker Compose uses) in both profiles, holds what a stack
// needs: pinned images, a healthcheck per long-running service, ordered starts, every app variable in
// deploy/.env.example and every mounted file present. Real: compose-go (tools/compose-check). No Docker engine.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
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
            const hint = v.source.includes('/deploy/grafana/')
              ? ' (deploy/grafana comes with issue 16: its provisioning and dashboards)'
              : '';
            expect(existsSync(v.source), `${name} mounts ${v.source}, missing${hint}`).toBe(true);
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

  it("names the stockops processes' settings as deploy/.env.example does, in compose and in npm run stack", () => {
    const example = readFileSync(join(ROOT, 'deploy/.env.example'), 'utf8');
    const listed = new Set(
      [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] ?? ''),
    );
    const app = new Set(variablesTheAppReads());
    const { services } = load('full');
    for (const name of ['api-a', 'api-b', 'worker', 'migrate', 'bootstrap']) {
      for (const k of Object.keys(services[name]?.environment ?? {})) {
        expect(listed.has(k) && app.has(k), `${name}: ${k} is read by the app and listed`).toBe(
          true,
        );
      }
    }
    const stack = readFileSync(join(ROOT, 'scripts/stack.sh'), 'utf8');
    const heredoc = /cat >"\$DIR\/stack\.env" <<EOF\n([\s\S]*?)\nEOF/.exec(stack)?.[1] ?? '';
    const keys = [...heredoc.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] ?? '');
    expect(keys.length).toBeGreaterThan(10);
    for (const k of keys) {
      expect(listed.has(k) && app.has(k), `stack.env: ${k} is read by the app and listed`).toBe(
        true,
      );
    }
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

describe('nginx in the compose stack', () => {
  // The template's own comments name the {{NAME}} form; only the configuration's placeholders count.
  const placeholders = (text: string) => {
    const config = text
      .split('\n')
      .filter((l) => !/^\s*#/.test(l))
      .join('\n');
    return [...new Set(config.match(/\{\{[A-Z_]+\}\}/g) ?? [])].sort();
  };

  it('renders the template with the variables scripts/services/nginx.sh takes, filling every placeholder', () => {
    const template = readFileSync(join(ROOT, 'deploy/nginx/stockops.conf.template'), 'utf8');
    expect(placeholders(template)).toContain('{{PREDICT_SERVERS}}');
    const render = readFileSync(join(ROOT, 'deploy/nginx/render.sh'), 'utf8');
    const local = readFileSync(join(ROOT, 'scripts/services/nginx.sh'), 'utf8');
    for (const p of placeholders(template)) {
      expect(render, `render.sh fills ${p}`).toContain(p.replace(/[{}]/g, '\\$&'));
      expect(local, `nginx.sh fills ${p}`).toContain(p.replace(/[{}]/g, '\\$&'));
    }
    const env = load('full').services.nginx?.environment ?? {};
    for (const k of Object.keys(env)) {
      expect(local, `nginx.sh reads ${k} too`).toContain(k);
      expect(render, `render.sh reads ${k}`).toContain(k);
    }
  });

  it('weighs predictions 7:3 towards pool a and training 3:7 towards pool b, and nginx -t accepts it', () => {
    const nginx = load('full').services.nginx;
    const env = Object.fromEntries(
      Object.entries(nginx?.environment ?? {}).map(([k, v]) => [k, v ?? '']),
    );
    expect(env.STOCKOPS_REPLICAS).toBe('api-a:8000,api-b:8000');
    expect(nginx?.volumes?.map((v) => v.target)).toContain(
      '/docker-entrypoint.d/40-stockops-render.sh',
    );
    const dir = mkdtempSync(join(tmpdir(), 'stockops-render-'));
    try {
      // nginx -t resolves upstream names: the pools' services become loopback addresses, the rest is compose's.
      const out = join(dir, 'nginx.conf');
      execFileSync('sh', ['deploy/nginx/render.sh'], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...env,
          STOCKOPS_REPLICAS: '127.0.0.1:8001,127.0.0.1:8002',
          TEMPLATE: join(ROOT, 'deploy/nginx/stockops.conf.template'),
          OUT: out,
          NGINX_PREFIX: dir,
          NGINX_USER: userInfo().username,
          NGINX_PORT: '127.0.0.1:1',
          // A test's stderr may be a socket, which /dev/stderr cannot be opened on.
          NGINX_LOG_TO_STDERR: '0',
          NGINX_ACCESS_LOG: join(dir, 'access.log'),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const conf = readFileSync(out, 'utf8');
      const upstream = (name: string) =>
        /upstream (\S+) \{([^}]*)\}/g
          .exec(conf.slice(conf.indexOf(`upstream ${name} {`)))?.[2]
          ?.match(/server \S+ weight=\d+/g);
      expect(upstream('stockops_predict')).toEqual([
        'server 127.0.0.1:8001 weight=7',
        'server 127.0.0.1:8002 weight=3',
      ]);
      expect(upstream('stockops_train')).toEqual([
        'server 127.0.0.1:8001 weight=3',
        'server 127.0.0.1:8002 weight=7',
      ]);
      expect(upstream('stockops_api')).toEqual([
        'server 127.0.0.1:8001 weight=1',
        'server 127.0.0.1:8002 weight=1',
      ]);
      try {
        execFileSync('nginx', ['-t', '-q', '-p', dir, '-c', out], { stdio: 'pipe' });
      } catch (e) {
        throw new Error(
          `nginx -t refused the rendered file: ${String((e as { stderr?: unknown }).stderr)}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
