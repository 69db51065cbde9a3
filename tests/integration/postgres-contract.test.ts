// Real: PostgreSQL (scripts/services/postgres.sh). The same contract suites as on PGlite (price store, cleaned
// series, ETL run log, recipes, forecast log, tracker, registry, monitoring reports, retrain decisions, model locks,
// alerts), the migrations racing from two processes' worth of pools, and the ETL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEtl } from '../../src/services/index.js';
import { FileArtifactStore } from '../../src/stores/artifacts/index.js';
import { ParquetDatasetStore } from '../../src/stores/datasets/index.js';
import {
  migrate,
  MIGRATIONS,
  openPostgres,
  SqlAlertStore,
  SqlAliasLog,
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
import { replayChart, YahooPriceSource } from '../../src/stores/yahoo/index.js';
import { etlRunLogContract } from '../contract/etl-run-log.contract.js';
import {
  alertStoreContract,
  modelLocksContract,
  monitoringReportStoreContract,
  quarantineCountsContract,
  realisedStoreContract,
  retrainStoresContract,
} from '../contract/monitoring-stores.contract.js';
import { forecastLogContract } from '../contract/forecast-log.contract.js';
import { priceStoreContract } from '../contract/price-store.contract.js';
import { recipeStoreContract } from '../contract/recipe-store.contract.js';
import { registryContract } from '../contract/registry.contract.js';
import { seriesStoreContract } from '../contract/series-store.contract.js';
import { trackerContract } from '../contract/tracker.contract.js';
import { createPostgresDatabase, postgresFixture } from './data-env.js';
import { syms } from '../../src/core/testing/index.js';

const pgdb = postgresFixture();
afterAll(() => pgdb.close());
const tmp = () => mkdtempSync(join(tmpdir(), 'stockops-pg-'));

priceStoreContract('PostgreSQL', async () => new SqlPriceStore(await pgdb.db()));
seriesStoreContract('SQL on PostgreSQL', async () => new SqlPriceStore(await pgdb.db()));
etlRunLogContract('SQL on PostgreSQL', async () => new SqlEtlRunLog(await pgdb.db()));
trackerContract(
  'built-in on PostgreSQL + file://',
  async () => new SqlTracker(await pgdb.db(), new FileArtifactStore(tmp())),
);
recipeStoreContract('SQL on PostgreSQL', async () => new SqlRecipeStore(await pgdb.db()));
forecastLogContract('SQL on PostgreSQL', async () => new SqlForecastLog(await pgdb.db()));
registryContract('built-in on PostgreSQL', async () => new SqlRegistry(await pgdb.db()));
monitoringReportStoreContract(
  'SQL on PostgreSQL',
  async () => new SqlMonitoringReportStore(await pgdb.db()),
);
retrainStoresContract('SQL on PostgreSQL', async () => {
  const db = await pgdb.db();
  return { decisions: new SqlRetrainDecisionStore(db), policy: new SqlRetrainPolicyStore(db) };
});
modelLocksContract('SQL on PostgreSQL', async () => new SqlModelLocks(await pgdb.db(), 20));
realisedStoreContract(
  'SQL on PostgreSQL',
  async () => new SqlRealisedAccuracyStore(await pgdb.db()),
);
alertStoreContract('SQL on PostgreSQL', async () => new SqlAlertStore(await pgdb.db()));
quarantineCountsContract('SQL on PostgreSQL', async () => {
  const db = await pgdb.db();
  return { counts: new SqlQuarantineCounts(db), prices: new SqlPriceStore(db) };
});

describe('PostgreSQL store', () => {
  it('applies the same migrations once when several pools start at the same time', async () => {
    const { url, drop } = await createPostgresDatabase();
    const clients = await Promise.all([1, 2, 3].map(() => openPostgres(url, { max: 2 })));
    try {
      const applied = await Promise.all(clients.map((c) => migrate(c)));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.id));
      const rows = await clients[0]?.query<{ n: string }>(
        'select count(*) as n from schema_migrations',
      );
      expect(Number(rows?.[0]?.n)).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await drop();
    }
  });

  it('returns dates as YYYY-MM-DD text whatever the server or client time zone', async () => {
    const db = await pgdb.db();
    const rows = await db.query<{ d: string }>(`select '2024-01-02'::date as d`);
    expect(rows[0]?.d).toBe('2024-01-02');
  });

  it('runs the ETL on recorded Yahoo responses and is idempotent on re-run', async () => {
    const db = await pgdb.db();
    const artifacts = new FileArtifactStore(tmp());
    const deps = {
      prices: new SqlPriceStore(db),
      tracker: new SqlTracker(db, artifacts),
      registry: new SqlRegistry(db),
      aliasLog: new SqlAliasLog(db),
      now: () => new Date('2020-10-01T12:00:00Z'),
      source: new YahooPriceSource({
        chart: replayChart(join(import.meta.dirname, '..', 'fixtures', 'yahoo')),
      }),
      etlRuns: new SqlEtlRunLog(db),
      datasets: new ParquetDatasetStore(artifacts),
    };
    const first = await runEtl(deps, { tickers: syms('AAPL', 'TSM', '2330.TW', '^GSPC') });
    expect(first.status).toBe('completed');
    expect(first.steps.find((s) => s.step === 'load_raw')?.counts.inserted).toBe(64 + 64 + 65 + 64);
    const again = await runEtl(deps, { tickers: syms('AAPL', 'TSM', '2330.TW', '^GSPC') });
    expect(again.steps.find((s) => s.step === 'load_raw')?.counts).toMatchObject({
      inserted: 0,
      updated: 0,
    });
    expect((await deps.etlRuns.list()).map((r) => r.id)).toEqual([again.id, first.id]);
  });
});
