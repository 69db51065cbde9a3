// Runs every port contract against the embedded adapters: PGlite in memory and a temporary file:// folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileArtifactStore } from '../../src/stores/artifacts/index.js';
import { SqlPriceStore, SqlRegistry, SqlTracker } from '../../src/stores/sql/index.js';
import { freshDb } from '../helpers.js';
import { artifactStoreContract } from './artifact-store.contract.js';
import { priceStoreContract } from './price-store.contract.js';
import { registryContract } from './registry.contract.js';
import { trackerContract } from './tracker.contract.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'stockops-art-'));

priceStoreContract('PGlite', async () => new SqlPriceStore(await freshDb()));
trackerContract(
  'built-in on PGlite + file://',
  async () => new SqlTracker(await freshDb(), new FileArtifactStore(tmp())),
);
registryContract('built-in on PGlite', async () => new SqlRegistry(await freshDb()));
artifactStoreContract('file://', () => Promise.resolve(new FileArtifactStore(tmp())));
