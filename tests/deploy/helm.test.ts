// The Helm chart renders the stockops deployment past one machine: a Deployment and autoscaler per API pool,
// workers, a migration Job before the API, probes, and Ingresses with the nginx template's routes and weights.
// Real: helm (lint and template), built from helm.sh/helm with go install. No cluster.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { goTool, ROOT } from './tools.js';

interface Doc {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: Record<string, unknown>;
}
interface Container {
  args?: string[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  startupProbe?: { httpGet?: { path: string } };
  envFrom?: unknown[];
}

let docs: Doc[] = [];

beforeAll(() => {
  const helm = goTool('helm');
  execFileSync(helm, ['lint', '--strict', 'deploy/helm/stockops'], { cwd: ROOT, stdio: 'pipe' });
  const out = execFileSync(helm, ['template', 'rel', 'deploy/helm/stockops'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  docs = parseAllDocuments(out)
    .map((d) => d.toJSON() as Doc | null)
    .filter((d): d is Doc => d !== null);
}, 900_000);

const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
const containersOf = (d: Doc) =>
  (d.spec?.template as { spec: { containers: Container[] } } | undefined)?.spec.containers ?? [];

describe('deploy/helm/stockops', () => {
  it('renders an API Deployment, Service and autoscaler per pool, workers, a migration Job, config and secret', () => {
    expect(
      byKind('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['rel-stockops-api-a', 'rel-stockops-api-b', 'rel-stockops-worker']);
    expect(byKind('Service')).toHaveLength(2);
    expect(byKind('HorizontalPodAutoscaler')).toHaveLength(2);
    expect(byKind('ConfigMap')).toHaveLength(1);
    expect(byKind('Secret')).toHaveLength(1);
    const [job] = byKind('Job');
    expect(job?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(containersOf(job as Doc)[0]?.args).toEqual(['migrate']);
  });

  it('probes the API on /api/health (alive) and /api/ready (ready for traffic)', () => {
    for (const d of byKind('Deployment').filter((x) => x.metadata.name.includes('-api-'))) {
      const [c] = containersOf(d);
      expect(c?.livenessProbe?.httpGet?.path, d.metadata.name).toBe('/api/health');
      expect(c?.startupProbe?.httpGet?.path, d.metadata.name).toBe('/api/health');
      expect(c?.readinessProbe?.httpGet?.path, d.metadata.name).toBe('/api/ready');
      expect(c?.envFrom, d.metadata.name).toHaveLength(2);
    }
  });

  it('has workers serve /metrics (STOCKOPS_METRICS_PORT), probed there and annotated for Prometheus', () => {
    const worker = byKind('Deployment').find((d) => d.metadata.name === 'rel-stockops-worker');
    const [c] = containersOf(worker as Doc) as (Container & {
      env?: { name: string; value: string }[];
    })[];
    expect(c?.env).toContainEqual({ name: 'STOCKOPS_METRICS_PORT', value: '9464' });
    expect(c?.livenessProbe?.httpGet?.path).toBe('/metrics');
    const meta = (worker?.spec?.template as { metadata: { annotations: Record<string, string> } })
      .metadata;
    expect(meta.annotations['prometheus.io/port']).toBe('9464');
  });

  it('carries the stores as URLs in config and secret, with the secrets only in the Secret', () => {
    const config = byKind('ConfigMap')[0]?.data ?? {};
    const secret = byKind('Secret')[0]?.stringData ?? {};
    for (const k of [
      'ARTIFACTS_URL',
      'S3_ENDPOINT',
      'MLFLOW_TRACKING_URI',
      'KAFKA_BROKERS',
      'CLICKHOUSE_URL',
    ]) {
      expect(config, k).toHaveProperty(k);
    }
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'AWS_SECRET_ACCESS_KEY', 'STOCKOPS_API_KEY']) {
      expect(secret, k).toHaveProperty(k);
      expect(config, k).not.toHaveProperty(k);
    }
  });

  it('weighs predictions 70/30 and training 30/70 between the pools, like the nginx template', () => {
    const weight = (group: string) =>
      byKind('Ingress').find((d) => d.metadata.name === `rel-stockops-${group}-b`)?.metadata
        .annotations?.['nginx.ingress.kubernetes.io/canary-weight'];
    expect(weight('predict')).toBe('30');
    expect(weight('train')).toBe('70');
    expect(weight('api')).toBe('50');
    expect(weight('ws')).toBe('50');
  });

  it('routes every location of the nginx template to the same pool group, with the same regular expressions', () => {
    const template = readFileSync(join(ROOT, 'deploy/nginx/stockops.conf.template'), 'utf8');
    const locations = [...template.matchAll(/location\s+(=|~)?\s*(\S+)\s*\{([^}]*)\}/g)];
    expect(locations.length).toBeGreaterThanOrEqual(8);
    const paths = (name: string) =>
      (
        (
          byKind('Ingress').find((d) => d.metadata.name === name)?.spec as
            { rules: { http: { paths: { path: string }[] } }[] } | undefined
        )?.rules[0]?.http.paths ?? []
      ).map((p) => p.path);
    for (const [, modifier, path = '', body = ''] of locations) {
      const upstream = /proxy_pass http:\/\/stockops_(\w+)/.exec(body)?.[1];
      // The UI the template serves from disk is served by the API replicas in the cluster.
      const group =
        upstream === 'predict' || upstream === 'train'
          ? upstream
          : /Upgrade/.test(body)
            ? 'ws'
            : 'api';
      const regex =
        modifier === '=' ? `${path}$` : modifier === '~' ? path.replace(/^\^/, '') : path;
      expect(paths(`rel-stockops-${group}-a`), `${path} -> ${group}`).toContain(regex);
      expect(paths(`rel-stockops-${group}-b`), `${path} -> ${group} (canary)`).toContain(regex);
    }
    const ws = byKind('Ingress').find((d) => d.metadata.name === 'rel-stockops-ws-a');
    expect(ws?.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBe(
      '3600',
    );
  });

  it('gives the pods the environment keys compose gives its stockops services', () => {
    const config = byKind('ConfigMap')[0]?.data ?? {};
    const secret = byKind('Secret')[0]?.stringData ?? {};
    const keys = new Set([...Object.keys(config), ...Object.keys(secret)]);
    const example = readFileSync(join(ROOT, 'deploy/.env.example'), 'utf8');
    for (const k of keys) {
      expect(example, `${k} is a variable of deploy/.env.example`).toMatch(
        new RegExp(`^#?\\s*${k}=`, 'm'),
      );
    }
    for (const k of [
      'DATABASE_URL',
      'REDIS_URL',
      'ARTIFACTS_URL',
      'S3_ENDPOINT',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'MLFLOW_TRACKING_URI',
      'KAFKA_BROKERS',
      'CLICKHOUSE_URL',
      'STOCKOPS_API_KEY',
    ]) {
      expect(keys, k).toContain(k);
    }
  });
});
