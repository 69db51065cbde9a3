// Real: a MinIO server (scripts/services/minio.sh). The ArtifactStore contract on s3://, and a training run whose
// model artifact is an object in the bucket.
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeSymbol } from '../../src/core/index.js';
import { loadConfig } from '../../src/config/index.js';
import { bootstrap, predict } from '../../src/services/index.js';
import { openRuntime } from '../../src/runtime/index.js';
import { S3ArtifactStore } from '../../src/stores/artifacts/index.js';
import { bundledSample } from '../../src/stores/index.js';
import { artifactStoreContract } from '../contract/artifact-store.contract.js';
import { minioEnv, requireUp, uniquePrefix } from './mlflow-env.js';

const env = minioEnv();
const credentials = {
  accessKeyId: env.AWS_ACCESS_KEY_ID,
  secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
};
const bucket = env.S3_BUCKET;

beforeAll(async () => {
  await requireUp(`${env.S3_ENDPOINT}/minio/health/live`, 'scripts/services/minio.sh');
});

artifactStoreContract('s3:// on MinIO', () =>
  Promise.resolve(
    new S3ArtifactStore({
      bucket,
      prefix: `contract/${uniquePrefix('a')}`,
      endpoint: env.S3_ENDPOINT,
      credentials,
    }),
  ),
);

describe('training with artifacts on MinIO', () => {
  it('stores the model artifact as an object in the bucket and serves from it', async () => {
    const prefix = `runs-${uniquePrefix('t')}`;
    const config = loadConfig({
      STOCKOPS_HOME: mkdtempSync(join(tmpdir(), 'stockops-s3-')),
      DATABASE_URL: 'pglite://memory',
      ARTIFACTS_URL: `s3://${bucket}/${prefix}`,
      S3_ENDPOINT: env.S3_ENDPOINT,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      LOG_LEVEL: 'silent',
    });
    const rt = await openRuntime(config, 'cli');
    try {
      const result = await bootstrap(rt.services, bundledSample, [1]);
      expect(rt.stores.artifacts.baseUri).toBe(`s3://${bucket}/${prefix}`);
      const champion = await rt.services.registry.getVersionByAlias('^GSPC.h1', 'champion');
      expect(champion, JSON.stringify(result)).not.toBeNull();
      const s3 = new S3Client({
        endpoint: env.S3_ENDPOINT,
        forcePathStyle: true,
        region: 'us-east-1',
        credentials,
      });
      const head = await s3.send(
        new HeadObjectCommand({
          Bucket: bucket,
          Key: `${prefix}/runs/${champion?.runId ?? ''}/artifacts/model/model.json`,
        }),
      );
      expect(head.ContentLength).toBeGreaterThan(10);
      s3.destroy();
      const p = await predict(rt.services, rt.serving, {
        ticker: normalizeSymbol('^GSPC'),
        horizon: 1,
      });
      expect(p.modelVersion).toBe(champion?.version);
    } finally {
      await rt.close();
    }
  });
});
