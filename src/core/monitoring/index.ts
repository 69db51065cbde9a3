// Public surface of core/monitoring: the drift engine (Evidently's legacy DataDriftPreset rules), precomputed reference statistics, the tests and their distributions; a model version's monitoring reference and the drift of a live window against it.
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
export {
  DEFAULT_MONITORING_THRESHOLDS,
  countPresent,
  driftSection,
  histogramPair,
} from './window-drift.js';
export type {
  ColumnVerdict,
  DriftSection,
  DriftSummary,
  HistogramPair,
  MonitoringThresholds,
} from './window-drift.js';
export {
  DEFAULT_REFERENCE_ROWS,
  MONITORING_REFERENCE_FORMAT,
  buildMonitoringReference,
  datasetColumns,
  evenlySpaced,
  readMonitoringReference,
} from './model-reference.js';
export type { MonitoringReference, ReferenceInput } from './model-reference.js';
export { featureWindow } from './feature-window.js';
export { coverageKey, realisedAccuracy } from './realised.js';
export type { MaturedForecast, RealisedAccuracy } from './realised.js';
export type { FeatureWindow } from './feature-window.js';
export { DEFAULT_MONITORING_SETTINGS, checkMonitoringSettings } from './settings.js';
export type { MonitoringSettings } from './settings.js';
export {
  APPROVAL_TIMEOUT_ACTIONS,
  DEFAULT_RETRAIN_POLICY,
  RETRAIN_RULES,
  RETRAIN_SUPPRESSIONS,
  checkRetrainPolicy,
  consecutiveFromNewest,
  decideRetrain,
} from './retrain-policy.js';
export type {
  ApprovalTimeoutAction,
  RetrainFacts,
  RetrainPolicySettings,
  RetrainRule,
  RetrainSuppression,
  RetrainVerdict,
} from './retrain-policy.js';
export {
  ALERT_RULES,
  DEFAULT_ALERT_SETTINGS,
  alertConditions,
  checkAlertSettings,
  sessionsBehind,
} from './alert-rules.js';
export type {
  AlertCondition,
  AlertFacts,
  AlertRule,
  AlertSettings,
  ModelAlertFacts,
} from './alert-rules.js';
