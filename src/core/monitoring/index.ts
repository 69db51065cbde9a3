// Public surface of core/monitoring: the drift engine (Evidently's legacy DataDriftPreset rules), precomputed reference statistics, the tests and their distributions.
export {
  BINNED_MIN_DISTINCT,
  DEFAULT_DRIFT_SHARE,
  DEFAULT_PSI_THRESHOLD,
  DEFAULT_THRESHOLDS,
  DRIFT_TESTS,
  FEW_VALUES_MAX,
  SMALL_REFERENCE_MAX_ROWS,
  columnDrift,
  columnDriftToJSON,
  datasetDrift,
  datasetDriftToJSON,
  defaultTest,
  isDrift,
  jsonNumber,
} from './drift.js';
export type {
  ColumnDrift,
  ColumnDriftJson,
  ColumnDriftOptions,
  DatasetDrift,
  DatasetDriftJson,
  DatasetDriftOptions,
  DatasetDriftSummary,
  DriftTestChoice,
  DriftTestName,
  JsonNumber,
  PsiResult,
} from './drift.js';
export {
  DEFAULT_REFERENCE_MAX_CATEGORIES,
  DEFAULT_REFERENCE_MAX_VALUES,
  DRIFT_REFERENCE_FORMAT,
  columnReference,
  driftReference,
  isColumnReference,
} from './reference-stats.js';
export type {
  CategoricalColumnReference,
  ColumnReference,
  ColumnReferenceOptions,
  DriftReference,
  NumericalColumnReference,
} from './reference-stats.js';
export { inferKind } from './samples.js';
export type { CategoryValue, ColumnKind, ColumnValues } from './samples.js';
export {
  chiSquareTest,
  jensenShannonDistance,
  ksTest,
  wassersteinDistance,
  wassersteinNormed,
  zTest,
} from './stattests.js';
export { ks2SampleExact, kstwoSf, smirnovSf } from './kolmogorov.js';
export { chi2Sf, erfc, gammaincc, lgamma, ndtr } from './special-functions.js';
