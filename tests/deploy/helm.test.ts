// The Helm chart renders the stockops deployment past one machine: a Deployment and autoscaler per API pool,
// workers, a migration Job before the API, probes, and Ingresses with the nginx template's routes and weights.
// Real: helm (lint and template), built from helm.sh/helm with go install. No cluster.
import { execFileSync } from 'node:child_process';
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
  });
});
