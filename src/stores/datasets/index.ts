// Public surface of the dataset snapshots adapter (Parquet under the artifact store).
export { decodeBarsParquet, encodeBarsParquet, ParquetDatasetStore } from './parquet-store.js';
