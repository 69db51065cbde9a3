// Runs every port contract against the embedded adapters: PGlite in memory and a temporary file:// folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileArtifactStore } from '../../src/stores/artifacts/index.js';
import { InProcessInvalidationBus } from '../../src/stores/cache/index.js';
import { ParquetDatasetStore } from '../../src/stores/datasets/index.js';
import { describe, expect, it } from 'vitest';
import {
  SqlAlertStore,
  SqlEtlRunLog,
  SqlModelLocks,
  SqlMonitoringReportStore,
  SqlForecastLog,
  SqlPriceStore,
  SqlQuarantineCounts,
  SqlRealisedAccuracyStore,
  SqlRecipeStore,
  SqlRegistry,
  SqlRetrainDecisionStore,
  SqlRetrainPolicyStore,
  SqlTracker,
} from '../../src/stores/sql/index.js';
import { freshDb } from '../helpers.js';
import { artifactStoreContract } from './artifact-store.contract.js';
import { datasetStoreContract } from './dataset-store.contract.js';
import { etlRunLogContract } from './etl-run-log.contract.js';
import {
  alertStoreContract,
  modelLocksContract,
  monitoringReportStoreContract,
  quarantineCountsContract,
  realisedStoreContract,
  retrainStoresContract,
} from './monitoring-stores.contract.js';
import { forecastLogContract } from './forecast-log.contract.js';
import { invalidationBusContract } from './invalidation-bus.contract.js';
import { priceStoreContract } from './price-store.contract.js';
import { recipeStoreContract } from './recipe-store.contract.js';
import { registryContract } from './registry.contract.js';
import { seriesStoreContract } from './series-store.contract.js';
import { trackerContract } from './tracker.contract.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'stockops-art-'));

priceStoreContract('PGlite', async () => new SqlPriceStore(await freshDb()));
seriesStoreContract('SQL on PGlite', async () => new SqlPriceStore(await freshDb()));
etlRunLogContract('SQL on PGlite', async () => new SqlEtlRunLog(await freshDb()));
datasetStoreContract('Parquet on file://', () => {
  const artifacts = new FileArtifactStore(tmp());
  return Promise.resolve({ datasets: new ParquetDatasetStore(artifacts), artifacts });
});
trackerContract(
  'built-in on PGlite + file://',
  async () => new SqlTracker(await freshDb(), new FileArtifactStore(tmp())),
);
recipeStoreContract('SQL on PGlite', async () => new SqlRecipeStore(await freshDb()));
forecastLogContract('SQL on PGlite', async () => new SqlForecastLog(await freshDb()));
registryContract('built-in on PGlite', async () => new SqlRegistry(await freshDb()));
artifactStoreContract('file://', () => Promise.resolve(new FileArtifactStore(tmp())));
monitoringReportStoreContract(
  'SQL on PGlite',
  async () => new SqlMonitoringReportStore(await freshDb()),
);
retrainStoresContract('SQL on PGlite', async () => {
  const db = await freshDb();
  return { decisions: new SqlRetrainDecisionStore(db), policy: new SqlRetrainPolicyStore(db) };
});
modelLocksContract('SQL on PGlite', async () => new SqlModelLocks(await freshDb(), 20));
realisedStoreContract('SQL on PGlite', async () => new SqlRealisedAccuracyStore(await freshDb()));
alertStoreContract('SQL on PGlite', async () => new SqlAlertStore(await freshDb()));
quarantineCountsContract('SQL on PGlite', async () => {
  const db = await freshDb();
  return { counts: new SqlQuarantineCounts(db), prices: new SqlPriceStore(db) };
});

describe('SqlModelLocks', () => {
  it('takes over a lease whose holder died without releasing it', async () => {
    const db = await freshDb();
    await db.query(
      `insert into model_locks (model_name, holder, expires_at) values ('M.h1', 'dead:1', $1)`,
      [Date.now() - 1],
    );
    const locks = new SqlModelLocks(db, 20);
    expect(await locks.withLock('M.h1', () => Promise.resolve('in'), { waitMs: 100 })).toBe('in');
  });
});
invalidationBusContract('in-process', () => Promise.resolve(new InProcessInvalidationBus()), null);
